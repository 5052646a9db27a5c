using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VideoAkka.Tests.Fakes;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Voices;

/// <summary>Issue 13, voices: a job chooses the OpenAI-compatible engine in options.voice; its sentences are spoken by
/// the endpoint, in parallel pieces, and every answer is checked before it is used.</summary>
public sealed class OpenAiVoiceSpecs(OpenAiVoiceService voices) : IClassFixture<OpenAiVoiceService>
{
    private FakeSpeechServer Fake => voices.Fake;

    private ServiceUnderTest Service => voices.Service;

    [Fact]
    public async Task A_job_voiced_by_the_openai_engine_completes_with_the_endpoints_speech_asked_for_with_its_model_voice_rate_and_key()
    {
        Fake.Reset();
        string[] sentences = ["The fake endpoint speaks this first line.", "And it speaks this second one too."];

        var jobId = await Service.SubmitAsync(OpenAiVoiceService.Job("openai-voiced", string.Join(" ", sentences), OpenAiVoiceService.OpenAi("nova", 1.25)));
        var record = await Service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", record.GetProperty("status").GetString());
        var requests = Fake.Requests;
        Assert.Equal(sentences.Order(StringComparer.Ordinal), requests.Select(r => r.Input).Order(StringComparer.Ordinal));
        Assert.All(requests, r =>
        {
            Assert.Equal(OpenAiVoiceService.Model, r.Model);
            Assert.Equal("nova", r.Voice);
            Assert.Equal(1.25, r.Speed);
            Assert.Equal("wav", r.ResponseFormat);
            Assert.Equal("Bearer " + OpenAiVoiceService.Key, r.Authorization);
        });
        // The voiceover is the endpoint's speech, joined: as long as its answers together.
        var voiceover = await MediaInfo.ProbeAsync(Path.Combine(Service.Folder("openai-voiced"), "voiceover.mp3"));
        Assert.InRange(voiceover.Duration, sentences.Sum(Fake.SpokenSeconds) - 0.01, sentences.Sum(Fake.SpokenSeconds) + 0.1);
        var video = await MediaInfo.ProbeAsync(record.GetProperty("final_video_path").GetString()!);
        Assert.Equal("aac", video.Audio.Codec);
    }

    [Theory]
    [InlineData(SpeechAnswer.Empty, "answered no audio")]
    [InlineData(SpeechAnswer.Silence, "is silence")]
    [InlineData(SpeechAnswer.TooShort, "is too short")]
    public async Task An_answer_that_is_not_usable_speech_fails_the_job_with_its_reason_and_no_video(SpeechAnswer answer, string reason)
    {
        Fake.Reset();
        Fake.Answer = answer;
        var runId = $"openai-bad-{answer.ToString().ToLowerInvariant()}";

        var jobId = await Service.SubmitAsync(OpenAiVoiceService.Job(runId, "This sentence deserves to be heard in full.", OpenAiVoiceService.OpenAi()));
        var record = await Service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("failed", record.GetProperty("status").GetString());
        var error = record.GetProperty("error").GetString()!;
        Assert.Contains("tts: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.NotEmpty(Fake.Requests);
        Assert.False(File.Exists(Path.Combine(Service.Folder(runId), "stitched_subtitled.mp4")), "a failed voiceover must not leave a final video");
    }

    [Fact]
    public async Task A_server_error_is_retried_and_the_job_completes()
    {
        Fake.Reset();
        Fake.Answer = SpeechAnswer.FailOnceThenSpeech;
        const string sentence = "Servers fail now and then, and this one fails once.";

        var jobId = await Service.SubmitAsync(OpenAiVoiceService.Job("openai-retried", sentence, OpenAiVoiceService.OpenAi()));
        var record = await Service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", record.GetProperty("status").GetString());
        Assert.Equal(2, Fake.Requests.Count(r => r.Input == sentence)); // the 500, then the speech
        Assert.Equal("fake-default", Fake.Requests[0].Voice); // no name in the request: the configured voice
    }

    [Fact]
    public async Task A_long_script_is_spoken_in_pieces_at_once_up_to_the_configured_parallelism_and_each_cue_lasts_its_own_speech()
    {
        Fake.Reset();
        Fake.HoldUntilInFlight = OpenAiVoiceService.ParallelPieces;
        var sentences = Enumerable.Range(1, 8).Select(i => $"Sentence number {Words[i]} is spoken on its own.").ToArray();

        var jobId = await Service.SubmitAsync(OpenAiVoiceService.Job("openai-pieces", string.Join(" ", sentences), OpenAiVoiceService.OpenAi()));
        var record = await Service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", record.GetProperty("status").GetString());
        Assert.Equal(OpenAiVoiceService.ParallelPieces, Fake.MaxInFlight); // overlapped, and never more than allowed
        Assert.Equal(sentences.Length, Fake.Requests.Count);
        var cues = ReadSrt(await File.ReadAllTextAsync(Path.Combine(Service.Folder("openai-pieces"), "subtitles.srt")));
        Assert.Equal(sentences, cues.Select(c => c.Text).ToArray()); // in script order, whatever order they were spoken in
        var start = 0.0;
        foreach (var cue in cues)
        {
            Assert.InRange(cue.Start, start - 0.015, start + 0.015);
            Assert.InRange(cue.End - cue.Start, Fake.SpokenSeconds(cue.Text) - 0.015, Fake.SpokenSeconds(cue.Text) + 0.015);
            start += Fake.SpokenSeconds(cue.Text);
        }
    }

    [Fact]
    public async Task An_engine_the_service_has_not_configured_is_refused_at_submit_naming_options_voice_engine()
    {
        using var response = await Service.PostJsonAsync(OpenAiVoiceService.Job("unknown-engine", "Hello there.", new JsonObject { ["engine"] = "elevenlabs" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("options.voice.engine", body, StringComparison.Ordinal);
        Assert.Contains("espeak, openai", body, StringComparison.Ordinal); // what it may be instead
        Assert.DoesNotContain("elevenlabs", body, StringComparison.Ordinal);
    }

    private static readonly string[] Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight"];

    private sealed record Cue(double Start, double End, string Text);

    private static List<Cue> ReadSrt(string srt) =>
        [.. Regex.Matches(srt, @"(\d\d):(\d\d):(\d\d),(\d\d\d) --> (\d\d):(\d\d):(\d\d),(\d\d\d)\r?\n(.+?)(?:\r?\n\r?\n|\s*\z)", RegexOptions.Singleline)
            .Select(m => new Cue(Seconds(m, 1), Seconds(m, 5), m.Groups[9].Value.Replace("\r", "").Replace('\n', ' ').Trim()))];

    private static double Seconds(Match m, int first) =>
        int.Parse(m.Groups[first].Value, CultureInfo.InvariantCulture) * 3600 + int.Parse(m.Groups[first + 1].Value, CultureInfo.InvariantCulture) * 60
        + int.Parse(m.Groups[first + 2].Value, CultureInfo.InvariantCulture) + int.Parse(m.Groups[first + 3].Value, CultureInfo.InvariantCulture) / 1000.0;
}
