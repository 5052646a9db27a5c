using System.Net;
using System.Text.Json;
using VideoAkka.Fakes;
using VideoAkka.Host;
using VideoAkka.Tests.Support;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;
using static VideoAkka.Tests.Control.JobControl;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11, Must show 1: POST /orchestrate/cancel/{job_id} stops a queued job, one generating images on
/// ComfyUI, and one in its render; each ends cancelled with its job_cancelled webhook, no dead letter, no video.</summary>
public sealed class CancelSpecs
{
    [Fact]
    public async Task A_queued_job_is_taken_off_the_queue_and_cancelled_at_once_with_its_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(webhookUrl: receiver.Url, role: ServiceRole.Api);
        var jobId = await api.SubmitAsync(JobBodies.Simple("queued-cancel"));

        var (status, body) = await PostAsync(api, "cancel", jobId);
        var again = await PostAsync(api, "cancel", jobId);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($$"""{"job_id":"{{jobId}}","status":"cancelled"}""", body.GetRawText());
        Assert.Equal((HttpStatusCode.OK, body.GetRawText()), (again.Status, again.Body.GetRawText()));
        var record = await api.StatusAsync(jobId);
        Assert.Equal("cancelled", Status(record));
        Assert.True(record.GetProperty("finished_at").ValueKind == JsonValueKind.String);
        Assert.Equal(0, await api.Redis.Db.ListLengthAsync(api.Keys.Queue));
        Assert.False(await api.Redis.Db.KeyExistsAsync(api.Keys.ActiveRun("queued-cancel")));
        Assert.Equal(0, await api.Redis.Db.ListLengthAsync(api.Keys.DeadLetter));
        // The outcome waits in the outbox; any worker delivers it.
        await using var worker = await ServiceUnderTest.StartAsync(webhookUrl: receiver.Url, role: ServiceRole.Worker, redis: api.Redis, dataRoot: api.DataRoot);
        var webhook = JsonDocument.Parse(Assert.Single(await receiver.WaitForBodiesAsync(1))).RootElement;
        Assert.Equal("job_cancelled", webhook.GetProperty("event").GetString());
        Assert.Equal("cancelled", webhook.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(jobId, webhook.GetProperty("data").GetProperty("job_id").GetString());
        Assert.False(webhook.GetProperty("data").TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Cancelling_during_image_generation_deletes_and_interrupts_its_comfyui_prompts()
    {
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Behaviour = _ => new FakeBehaviour.Hang() });
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(ComfyUi.ComfyUiJobs.Hocon + "\nvideoakka.comfyui.instances = 2",
            webhookUrl: receiver.Url, comfyUiUrl: comfy.Url);
        var jobId = await service.SubmitAsync(ComfyUi.ComfyUiJobs.Body("comfy-cancel",
            ComfyUi.ComfyUiJobs.Scene("scene one"), ComfyUi.ComfyUiJobs.Scene("scene two")));
        await Eventually.WaitUntilAsync(() => Task.FromResult(comfy.Running == 1 && comfy.InFlight == 2), "one prompt running and one queued on ComfyUI");
        var running = comfy.Submissions.Select(s => s.PromptId).ToArray();

        var (status, _) = await PostAsync(service, "cancel", jobId);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cancelled", Status(await service.StatusAsync(jobId)));
        await Eventually.WaitUntilAsync(() => Task.FromResult(comfy.Interrupts.Count > 0 && comfy.DeletedPromptIds.Count > 0),
            "the prompts to be interrupted and deleted");
        Assert.Contains(comfy.Interrupts, id => running.Contains(id));
        Assert.Contains(comfy.DeletedPromptIds, id => running.Contains(id));
        Assert.DoesNotContain(null, comfy.Interrupts); // never a global interrupt
        Assert.False(File.Exists(Path.Combine(service.Folder("comfy-cancel"), "stitched_subtitled.mp4")));
        Assert.Equal(0, await service.Redis.Db.ListLengthAsync(service.Keys.DeadLetter));
        var webhook = JsonDocument.Parse(Assert.Single(await receiver.WaitForBodiesAsync(1))).RootElement;
        Assert.Equal("job_cancelled", webhook.GetProperty("event").GetString());
    }

    [Fact]
    public async Task Cancelling_during_the_render_ends_its_ffmpeg_within_the_kill_grace_and_leaves_no_video()
    {
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.output.preset = veryslow");
        // Eight minutes at veryslow: the render is still running when the cancel arrives, even on an idle machine.
        var jobId = await service.SubmitAsync(JobBodies.Simple("render-cancel", scenes: 8, sceneSeconds: 60, voiceover: false));
        var folder = service.Folder("render-cancel");
        await Eventually.WaitUntilAsync(async () => (await service.StatusAsync(jobId)).GetProperty("stage").GetString() == "stitch"
            && ProcessTable.CountFfmpeg("stitched_subtitled", folder) > 0, "the render to run");

        var (status, _) = await PostAsync(service, "cancel", jobId);

        Assert.Equal(HttpStatusCode.OK, status);
        await Eventually.WaitUntilAsync(() => Task.FromResult(ProcessTable.CountFfmpeg("stitched_subtitled", folder) == 0),
            "the render's ffmpeg to end", TimeSpan.FromSeconds(10)); // the kill grace is 2 s; a loaded machine is slow to reap
        Assert.Equal("cancelled", Status(await service.StatusAsync(jobId)));
        Assert.False(File.Exists(Path.Combine(folder, "stitched_subtitled.mp4")));
        Assert.Equal(1, await JobJournal.CountAsync(service.Redis.Db, jobId, "cancelled"));
    }

    [Fact]
    public async Task A_finished_job_cannot_be_cancelled_and_an_unknown_one_is_not_found()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var jobId = await service.SubmitAsync(JobBodies.Simple("done-run", scenes: 1, voiceover: false));
        await service.WaitUntilFinishedAsync(jobId);

        var finished = await PostAsync(service, "cancel", jobId);
        var unknown = await PostAsync(service, "cancel", Guid.NewGuid().ToString());
        var hostile = await PostAsync(service, "cancel", "..%2F..%2Fetc");

        Assert.Equal(HttpStatusCode.Conflict, finished.Status);
        Assert.Equal("completed", finished.Body.GetProperty("job_status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.NotFound, hostile.Status);
        Assert.Equal("completed", Status(await service.StatusAsync(jobId)));
    }
}
