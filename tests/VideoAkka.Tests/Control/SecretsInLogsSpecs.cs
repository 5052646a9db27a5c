using VideoAkka.Host;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Tests.Durability;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11: a webhook URL often carries a token (n8n's webhook paths are secrets); failed deliveries are
/// logged and recorded by the kind of failure, never with the URL.</summary>
public sealed class SecretsInLogsSpecs
{
    private const string PathToken = "n8n-path-token-4f1d9c";
    private const string QueryToken = "query-token-77ab02";

    [Fact]
    public async Task Failed_webhook_tries_are_logged_and_recorded_without_the_urls_tokens()
    {
        var deadPort = RedisServerProcess.FreeLoopbackPort();
        var webhookUrl = $"http://127.0.0.1:{deadPort}/webhook/{PathToken}?token={QueryToken}";
        const string hocon = DurableWorkers.DraftHocon + "\nvideoakka.webhook.first-backoff = 100ms\nvideoakka.webhook.attempts = 3";
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(hocon, role: ServiceRole.Api, redis: redis);
        await using var worker = WorkerProcess.Start(redis.Url, api.DataRoot, hocon, webhookUrl: webhookUrl);

        var jobId = await api.SubmitAsync(JobBodies.Simple("secret-webhook-run", scenes: 1, voiceover: false));
        await Eventually.WaitUntilAsync(async () =>
            (await api.StatusAsync(jobId)).TryGetProperty("webhook", out var webhook) && webhook.TryGetProperty("gave_up_at", out var gaveUp)
            && gaveUp.ValueKind == System.Text.Json.JsonValueKind.String, "the webhook to be given up after its attempts");

        var record = (await api.StatusAsync(jobId)).GetRawText();
        Assert.Contains($"Webhook for job {jobId} attempt 1 failed", worker.Log, StringComparison.Ordinal); // the failed tries were logged
        foreach (var secret in new[] { PathToken, QueryToken, $"127.0.0.1:{deadPort}/webhook" })
        {
            Assert.DoesNotContain(secret, worker.Log, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, record, StringComparison.Ordinal);
        }
    }
}
