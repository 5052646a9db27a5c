using Akka.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Speech;
using VideoAkka.Tests.Fakes;

namespace VideoAkka.Tests.Voices;

/// <summary>The OpenAI-compatible engine on its own, against the fake endpoint: what it does with each kind of answer.</summary>
public sealed class OpenAiEngineSpecs : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("videoakka-openai-engine-").FullName;
    private FakeSpeechServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSpeechServer.StartAsync();

    private OpenAiSpeechEngine Engine(string format) => new(
        OpenAiSpeechSettings.Create(ConfigurationFactory.ParseString($$"""
            url = "{{_fake.BaseUrl}}", model = "m", voice = "v", response-format = "{{format}}", timeout = 30s, retries = 0, first-backoff = 50ms
            """), null)!,
        new ToolRunner(MediaToolSettings.Default),
        NullLogger<OpenAiSpeechEngine>.Instance);

    private SpeechPiece Piece(string name) => new("An answer in the format asked for.", new VoiceChoice("openai"), _folder, name);

    [Fact]
    public async Task An_mp3_answer_is_decoded_to_pcm_that_passes_the_checks_and_lasts_as_long_as_the_speech()
    {
        using var engine = Engine("mp3");
        var piece = Piece("mp3");

        await engine.SpeakAsync(piece, default);

        var seconds = SpeechChecks.Verify(piece.WavPath, piece.Text, SpeechCheckSettings.Default);
        Assert.InRange(seconds, _fake.SpokenSeconds(piece.Text) - 0.01, _fake.SpokenSeconds(piece.Text) + 0.1); // mp3 frames pad a little
        Assert.Equal("mp3", Assert.Single(_fake.Requests).ResponseFormat);
        Assert.Null(_fake.Requests[0].Authorization); // no key configured: no header
    }

    [Fact]
    public async Task An_answer_that_is_not_audio_is_refused_saying_so()
    {
        _fake.Answer = SpeechAnswer.NotAudio;
        using var engine = Engine("wav");

        var refused = await Assert.ThrowsAsync<SpeechRefusedException>(() => engine.SpeakAsync(Piece("html"), default));
        Assert.Contains("is not wav audio", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_with_no_retries_left_fails_saying_so()
    {
        _fake.Answer = SpeechAnswer.FailOnceThenSpeech; // with no retries, the first 500 is the last answer
        using var engine = Engine("wav");

        var refused = await Assert.ThrowsAsync<SpeechRefusedException>(() => engine.SpeakAsync(Piece("busy"), default));
        Assert.Contains("HTTP 500 (no retries configured)", refused.Message, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
