using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Must show 3: the seed's webhook payload, exactly, for completed and failed jobs, with retries that stop
/// at the configured count and no copy after a delivery.</summary>
public sealed class WebhookSpecs
{
    [Fact]
    public async Task A_completed_job_posts_exactly_the_seeds_job_completed_payload()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(webhookUrl: receiver.Url);
        var jobId = await service.SubmitAsync(JobBodies.Simple("hook-ok", scenes: 2));
        var record = await service.WaitUntilFinishedAsync(jobId);

        var payload = JsonNode.Parse(Assert.Single(await receiver.WaitForBodiesAsync(1)))!.AsObject();

        Assert.Equal(["data", "event", "timestamp"], payload.Select(p => p.Key).Order());
        Assert.Equal("job_completed", payload["event"]!.GetValue<string>());
        AssertTimestampIsUnixSecondsNear(payload["timestamp"]!, record);
        var expected = new JsonObject
        {
            ["job_id"] = jobId,
            ["status"] = "completed",
            ["run_id"] = "hook-ok",
            ["output_dir"] = service.Folder("hook-ok"),
            ["final_video_path"] = Path.Combine(service.Folder("hook-ok"), "stitched_subtitled.mp4"),
            ["video_files"] = new JsonArray("vid_001.mp4", "vid_002.mp4"),
            ["image_files"] = new JsonArray("img_001.png", "img_002.png"),
            ["voiceover_path"] = Path.Combine(service.Folder("hook-ok"), "voiceover.mp3"),
        };
        Assert.True(JsonNode.DeepEquals(expected, payload["data"]), $"data was {payload["data"]}");
    }

    [Fact]
    public async Task A_failed_job_posts_exactly_the_seeds_job_failed_payload()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(webhookUrl: receiver.Url);
        var jobId = await service.SubmitAsync(JobBodies.Simple("hook-failed", scenes: 1, voice: "zz-novoice"));
        var record = await service.WaitUntilFinishedAsync(jobId);

        var payload = JsonNode.Parse(Assert.Single(await receiver.WaitForBodiesAsync(1)))!.AsObject();

        Assert.Equal("job_failed", payload["event"]!.GetValue<string>());
        AssertTimestampIsUnixSecondsNear(payload["timestamp"]!, record);
        var data = payload["data"]!.AsObject();
        Assert.Equal(["error", "image_files", "job_id", "output_dir", "run_id", "status", "video_files", "voiceover_path"], data.Select(p => p.Key).Order());
        Assert.Equal(jobId, data["job_id"]!.GetValue<string>());
        Assert.Equal("failed", data["status"]!.GetValue<string>());
        Assert.Equal("hook-failed", data["run_id"]!.GetValue<string>());
        Assert.Equal(service.Folder("hook-failed"), data["output_dir"]!.GetValue<string>());
        Assert.Equal(record.GetProperty("error").GetString(), data["error"]!.GetValue<string>());
        Assert.StartsWith("tts: ", data["error"]!.GetValue<string>());
    }

    /// <summary>Tries of one outcome wait first-backoff (100 ms in the fixture), doubling; an entry being tried is
    /// claimed for twice the attempt timeout, and would be due again after that if it were never settled.</summary>
    private const string QuickTries = "\nvideoakka.webhook.attempt-timeout = 2s";

    /// <summary>Longer than the next backoff after the last try (at most 800 ms here) and than a claim (4 s): a copy
    /// that was going to follow has arrived by then.</summary>
    private static readonly TimeSpan PastAnyFurtherTry = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task A_receiver_that_answers_500_twice_gets_the_payload_on_the_third_try_and_never_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 500);
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + QuickTries, webhookUrl: receiver.Url);
        var jobId = await service.SubmitAsync(JobBodies.Simple("hook-retry", scenes: 1));
        await service.WaitUntilFinishedAsync(jobId);

        var settled = await WebhookStateAsync(service, jobId, "delivered_at");
        await Task.Delay(PastAnyFurtherTry);

        var bodies = receiver.Bodies;
        Assert.Equal(3, bodies.Count);
        Assert.All(bodies, body => Assert.Equal(bodies[0], body));
        Assert.Equal(jobId, JsonNode.Parse(bodies[2])!["data"]!["job_id"]!.GetValue<string>());
        Assert.Equal(3, settled.GetProperty("attempts").GetInt32());
        Assert.Equal(200, settled.GetProperty("last_status").GetInt32());
        Assert.Equal(0, await service.Redis.Db.SortedSetLengthAsync("video_orchestrator:outbox"));
    }

    [Fact]
    public async Task A_webhook_never_accepted_stops_at_the_configured_attempts_and_leaves_the_job_completed()
    {
        await using var receiver = await WebhookReceiver.StartAsync([.. Enumerable.Repeat(500, 20)]);
        await using var service = await ServiceUnderTest.StartAsync(
            ServiceUnderTest.SmallFrames + QuickTries + "\nvideoakka.webhook.attempts = 3", webhookUrl: receiver.Url);
        var jobId = await service.SubmitAsync(JobBodies.Simple("hook-down", scenes: 1));
        await service.WaitUntilFinishedAsync(jobId);

        var gaveUp = await WebhookStateAsync(service, jobId, "gave_up_at");
        await Task.Delay(PastAnyFurtherTry);

        Assert.Equal(3, receiver.Bodies.Count);
        Assert.Equal(3, gaveUp.GetProperty("attempts").GetInt32());
        Assert.Equal(500, gaveUp.GetProperty("last_status").GetInt32());
        Assert.Equal(JsonValueKind.Null, gaveUp.GetProperty("delivered_at").ValueKind);
        Assert.Equal(0, await service.Redis.Db.SortedSetLengthAsync("video_orchestrator:outbox"));
        Assert.Equal("completed", (await service.StatusAsync(jobId)).GetProperty("status").GetString());
    }

    /// <summary>The record's webhook state once <paramref name="settledBy"/> is set in it.</summary>
    private static async Task<JsonElement> WebhookStateAsync(ServiceUnderTest service, string jobId, string settledBy) =>
        (await Eventually.WaitForAsync<StrongBox<JsonElement>>(async () =>
        {
            var record = await service.StatusAsync(jobId);
            return record.TryGetProperty("webhook", out var webhook) && webhook.TryGetProperty(settledBy, out var at) && at.ValueKind == JsonValueKind.String
                ? new StrongBox<JsonElement>(webhook.Clone())
                : null;
        }, $"the webhook's {settledBy} in the record")).Value;

    private static void AssertTimestampIsUnixSecondsNear(JsonNode timestamp, JsonElement record)
    {
        var seconds = timestamp.GetValue<double>();
        var finished = record.GetProperty("finished_at").GetDateTimeOffset().ToUnixTimeMilliseconds() / 1000.0;
        Assert.InRange(seconds, finished - 1, finished + 60);
    }
}
