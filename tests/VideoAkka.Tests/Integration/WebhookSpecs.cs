using System.Text.Json;
using System.Text.Json.Nodes;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Must show 3: the seed's webhook payload, exactly, for completed and failed jobs, with retries.</summary>
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

    [Fact]
    public async Task A_receiver_that_answers_500_twice_gets_the_payload_on_the_third_try()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 500);
        await using var service = await ServiceUnderTest.StartAsync(webhookUrl: receiver.Url);
        var jobId = await service.SubmitAsync(JobBodies.Simple("hook-retry", scenes: 1));
        await service.WaitUntilFinishedAsync(jobId);

        var bodies = await receiver.WaitForBodiesAsync(3);

        Assert.Equal(3, bodies.Count);
        Assert.All(bodies, body => Assert.Equal(bodies[0], body));
        Assert.Equal(jobId, JsonNode.Parse(bodies[2])!["data"]!["job_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_webhook_that_cannot_be_delivered_leaves_the_job_completed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 500, 500, 500, 500);
        await using var service = await ServiceUnderTest.StartAsync(webhookUrl: receiver.Url);
        var jobId = await service.SubmitAsync(JobBodies.Simple("hook-down", scenes: 1));
        await service.WaitUntilFinishedAsync(jobId);

        await receiver.WaitForBodiesAsync(3);

        Assert.Equal("completed", (await service.StatusAsync(jobId)).GetProperty("status").GetString());
    }

    private static void AssertTimestampIsUnixSecondsNear(JsonNode timestamp, JsonElement record)
    {
        var seconds = timestamp.GetValue<double>();
        var finished = record.GetProperty("finished_at").GetDateTimeOffset().ToUnixTimeMilliseconds() / 1000.0;
        Assert.InRange(seconds, finished - 1, finished + 60);
    }
}
