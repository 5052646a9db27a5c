using VideoAkka.Host;
using VideoAkka.Tests.Fakes;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Voices;

/// <summary>The API and the worker read their engines from their own configuration: a job the API accepted for an
/// engine its worker lacks fails when it starts, naming the field, and nothing is spoken by another engine.</summary>
public sealed class UnconfiguredWorkerSpecs
{
    [Fact]
    public async Task A_job_for_an_engine_the_worker_has_not_configured_fails_at_start_naming_options_voice_engine()
    {
        await using var fake = await FakeSpeechServer.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(OpenAiVoiceService.Hocon(fake.BaseUrl), role: ServiceRole.Api, speechApiKey: OpenAiVoiceService.Key);
        await using var worker = await ServiceUnderTest.StartAsync(role: ServiceRole.Worker, redis: api.Redis, dataRoot: api.DataRoot);

        var jobId = await api.SubmitAsync(OpenAiVoiceService.Job("worker-lacks-openai", "Nobody here can speak this.", OpenAiVoiceService.OpenAi()));
        var record = await api.WaitUntilFinishedAsync(jobId);

        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Contains("options.voice.engine", record.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
        Assert.False(File.Exists(Path.Combine(api.Folder("worker-lacks-openai"), "voiceover.mp3")));
    }
}
