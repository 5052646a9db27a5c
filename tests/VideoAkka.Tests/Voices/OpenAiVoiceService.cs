using System.Text.Json.Nodes;
using VideoAkka.Tests.Fakes;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Voices;

/// <summary>One service whose OpenAI-compatible speech engine is the fake, shared by the specs of a class (they run
/// one after another and reset the fake first).</summary>
public sealed class OpenAiVoiceService : IAsyncLifetime
{
    public const string Key = "sk-fake-speech-key-5c1e90d7";
    public const string Model = "fake-tts-model";
    public const int ParallelPieces = 3;

    public FakeSpeechServer Fake { get; private set; } = null!;

    public ServiceUnderTest Service { get; private set; } = null!;

    public static string Hocon(string speechUrl) => ServiceUnderTest.SmallFrames + $$"""

        videoakka.tts.parallel-pieces = {{ParallelPieces}}
        videoakka.tts.openai { url = "{{speechUrl}}", model = "{{Model}}", voice = "fake-default", response-format = "wav", retries = 2, first-backoff = 50ms, timeout = 30s }
        """;

    public async Task InitializeAsync()
    {
        Fake = await FakeSpeechServer.StartAsync();
        Service = await ServiceUnderTest.StartAsync(Hocon(Fake.BaseUrl), speechApiKey: Key);
    }

    /// <summary>A one-scene job spoken by the given voice (a JSON value for options.voice).</summary>
    public static string Job(string runId, string script, JsonNode voice)
    {
        var body = JsonNode.Parse(JobBodies.Simple(runId, scenes: 1, script: script))!;
        body["options"]!["voice"] = voice;
        return body.ToJsonString();
    }

    public static JsonNode OpenAi(string? name = null, double? rate = null)
    {
        var voice = new JsonObject { ["engine"] = "openai" };
        if (name is not null)
        {
            voice["name"] = name;
        }
        if (rate is not null)
        {
            voice["rate"] = rate;
        }
        return voice;
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
