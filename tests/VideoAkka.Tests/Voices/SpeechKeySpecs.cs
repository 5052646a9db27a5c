using VideoAkka.Host;
using VideoAkka.Tests.Fakes;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Voices;

/// <summary>The speech engine's key (VIDEOAKKA_TTS_API_KEY) goes to the endpoint and nowhere else: not the worker's
/// log, not the job record, even when the endpoint refuses it.</summary>
public sealed class SpeechKeySpecs
{
    [Fact]
    public async Task A_refused_key_fails_the_job_saying_so_and_the_key_is_in_no_log_or_record()
    {
        await using var fake = await FakeSpeechServer.StartAsync();
        fake.Answer = SpeechAnswer.Unauthorized;
        var hocon = OpenAiVoiceService.Hocon(fake.BaseUrl);
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(hocon, role: ServiceRole.Api, redis: redis);
        await using var worker = WorkerProcess.Start(redis.Url, api.DataRoot, hocon,
            environment: new Dictionary<string, string> { ["VIDEOAKKA_TTS_API_KEY"] = OpenAiVoiceService.Key });

        var jobId = await api.SubmitAsync(OpenAiVoiceService.Job("refused-key", "This line is never spoken.", OpenAiVoiceService.OpenAi()));
        var record = await api.WaitUntilFinishedAsync(jobId);

        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Contains("refused the key (HTTP 401)", record.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer " + OpenAiVoiceService.Key, Assert.Single(fake.Requests).Authorization); // it was sent, to the endpoint
        Assert.Contains("refused the key", worker.Log, StringComparison.Ordinal); // the failure was logged
        Assert.DoesNotContain(OpenAiVoiceService.Key, worker.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenAiVoiceService.Key, record.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(OpenAiVoiceService.Key, await File.ReadAllTextAsync(Path.Combine(api.Folder("refused-key"), "manifest.json")), StringComparison.Ordinal);
    }
}
