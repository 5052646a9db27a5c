using System.Text.Json;
using VideoAkka.Host;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Tests.Durability;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11, Must show 4: webhooks are never lost. The outcome goes into a durable outbox with the terminal
/// state; any worker delivers it, retrying with backoff, and records the attempts in the job's record.</summary>
public sealed class OutboxSpecs
{
    private const string QuickRetries = "\nvideoakka.webhook.max-backoff = 3s";

    [Fact]
    public async Task A_webhook_whose_receiver_is_down_for_a_minute_arrives_afterwards_with_its_attempts_in_the_record()
    {
        var port = RedisServerProcess.FreeLoopbackPort();
        var url = $"http://127.0.0.1:{port}/webhook/job-complete";
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + QuickRetries, webhookUrl: url);
        var jobId = await service.SubmitAsync(JobBodies.Simple("down-run", scenes: 1, voiceover: false));
        var finished = await service.WaitUntilFinishedAsync(jobId);
        Assert.Equal("completed", finished.GetProperty("status").GetString());

        await Task.Delay(TimeSpan.FromMinutes(1)); // the receiver is down all this time
        var meanwhile = await service.StatusAsync(jobId);
        await using var receiver = await WebhookReceiver.StartOnAsync(port);
        var delivery = (await receiver.WaitForBodiesAsync(1)).Single();
        var record = await Eventually.WaitForAsync<string>(async () =>
        {
            var r = await service.StatusAsync(jobId);
            return r.GetProperty("webhook").TryGetProperty("delivered_at", out var at) && at.ValueKind == JsonValueKind.String ? r.GetRawText() : null;
        }, "the delivery to be recorded");

        var tries = meanwhile.GetProperty("webhook");
        Assert.True(tries.GetProperty("attempts").GetInt32() >= 10, tries.GetRawText()); // backoff capped at 3 s over a minute
        Assert.Contains("Connection refused", tries.GetProperty("last_error").GetString());
        Assert.DoesNotContain("127.0.0.1:" + port + "/webhook", tries.GetProperty("last_error").GetString());
        Assert.Equal(jobId, JsonDocument.Parse(delivery).RootElement.GetProperty("data").GetProperty("job_id").GetString());
        var state = JsonDocument.Parse(record).RootElement.GetProperty("webhook");
        Assert.Equal(200, state.GetProperty("last_status").GetInt32());
        Assert.True(state.GetProperty("attempts").GetInt32() > tries.GetProperty("attempts").GetInt32());
        Assert.Equal(0, await service.Redis.Db.SortedSetLengthAsync("video_orchestrator:outbox"));
        await Task.Delay(TimeSpan.FromSeconds(4)); // past the longest backoff: no second delivery follows
        Assert.Single(receiver.Bodies);
    }

    [Fact]
    public async Task A_worker_killed_between_the_outcome_and_its_delivery_leaves_the_webhook_to_another_worker()
    {
        var port = RedisServerProcess.FreeLoopbackPort();
        var url = $"http://127.0.0.1:{port}/webhook/job-complete";
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(DurableWorkers.DraftHocon + QuickRetries, role: ServiceRole.Api, redis: redis, webhookUrl: url);
        await using var doomed = WorkerProcess.Start(redis.Url, api.DataRoot, DurableWorkers.DraftHocon + QuickRetries, webhookUrl: url);
        var jobId = await api.SubmitAsync(JobBodies.Simple("orphaned-webhook", scenes: 1, voiceover: false));
        Assert.Equal("completed", (await api.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
        await Eventually.WaitUntilAsync(async () => (await api.StatusAsync(jobId)).TryGetProperty("webhook", out _), "a first, failed try");

        await doomed.KillAsync();
        await using var receiver = await WebhookReceiver.StartOnAsync(port);
        await using var other = WorkerProcess.Start(redis.Url, api.DataRoot, DurableWorkers.DraftHocon + QuickRetries, webhookUrl: url);

        var delivered = await receiver.WaitForBodiesAsync(1);
        Assert.Equal("job_completed", JsonDocument.Parse(delivered[0]).RootElement.GetProperty("event").GetString());
        Assert.StartsWith(jobId, receiver.Deliveries[0].Id);
        await Eventually.WaitUntilAsync(async () =>
            (await api.StatusAsync(jobId)).GetProperty("webhook").TryGetProperty("delivered_at", out var at) && at.ValueKind == JsonValueKind.String,
            "the delivery to be recorded");
        Assert.Single(receiver.Bodies);
    }
}
