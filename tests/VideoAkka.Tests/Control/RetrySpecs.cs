using System.Net;
using VideoAkka.Fakes;
using VideoAkka.Host;
using VideoAkka.Tests.Support;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;
using static VideoAkka.Tests.Control.JobControl;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11, Must show 2: POST /orchestrate/retry/{job_id} queues a failed or cancelled job again under its
/// id; it completes without making its finished scenes again, and its dead-letter entry is gone.</summary>
public sealed class RetrySpecs
{
    [Fact]
    public async Task Retrying_a_failed_job_completes_it_without_remaking_its_finished_scenes_and_removes_its_dead_letter()
    {
        var failures = 1;
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions
        {
            // The clip of the third scene fails once, after the other scenes are made.
            Behaviour = s => IsClip(s) && s.Text.Contains("scene charlie", StringComparison.Ordinal) && Interlocked.Decrement(ref failures) >= 0
                ? new FakeBehaviour.ExecutionError()
                : new FakeBehaviour.Succeed(),
        });
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);
        var jobId = await service.SubmitAsync(Body("retry-run", Scene("scene alpha"), Scene("scene bravo"), Scene("scene charlie")));
        Assert.Equal("failed", Status(await service.WaitUntilFinishedAsync(jobId)));
        Assert.Equal(1, await service.Redis.Db.ListLengthAsync(service.Keys.DeadLetter));
        var made = await JobJournal.ScenesAsync(service.Redis.Db, jobId, "clip_ready");

        var (status, body) = await PostAsync(service, "retry", jobId);
        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal($$"""{"job_id":"{{jobId}}","status":"queued"}""", body.GetRawText());
        Assert.Equal("completed", Status(record));
        Assert.True(record.GetProperty("error").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal([1, 2], made);
        foreach (var name in new[] { "alpha", "bravo" })
        {
            Assert.Equal(1, comfy.Submissions.Count(s => IsClip(s) && s.Text.Contains($"scene {name}", StringComparison.Ordinal)));
            Assert.Equal(1, comfy.Submissions.Count(s => IsImage(s) && s.Text.Contains($"scene {name}", StringComparison.Ordinal)));
        }
        Assert.Equal(2, comfy.Submissions.Count(s => IsClip(s) && s.Text.Contains("scene charlie", StringComparison.Ordinal)));
        Assert.Equal(0, await service.Redis.Db.ListLengthAsync(service.Keys.DeadLetter));
        Assert.False(await service.Redis.Db.KeyExistsAsync(service.Keys.ActiveRun("retry-run")));
    }

    [Fact]
    public async Task A_retried_job_does_not_reuse_the_files_a_later_job_with_its_run_id_left_in_the_folder()
    {
        var failures = 1;
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions
        {
            Behaviour = s => IsClip(s) && s.Text.Contains("scene alpha", StringComparison.Ordinal) && Interlocked.Decrement(ref failures) >= 0
                ? new FakeBehaviour.ExecutionError()
                : new FakeBehaviour.Succeed(),
        });
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);
        var first = await service.SubmitAsync(Body("shared-folder", Scene("scene alpha")));
        Assert.Equal("failed", Status(await service.WaitUntilFinishedAsync(first))); // its image is journaled
        var later = await service.SubmitAsync(Body("shared-folder", Scene("scene bravo")));
        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(later))); // img_001.png is bravo's now

        await PostAsync(service, "retry", first);
        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(first)));

        Assert.Equal(2, comfy.Submissions.Count(s => IsImage(s) && s.Text.Contains("scene alpha", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_cancelled_job_retried_runs_to_completion()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        var jobId = await api.SubmitAsync(JobBodies.Simple("cancelled-retry", scenes: 1, voiceover: false));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(api, "cancel", jobId)).Status);

        var retried = await PostAsync(api, "retry", jobId);
        var again = await PostAsync(api, "retry", jobId);
        await using var worker = await ServiceUnderTest.StartAsync(role: ServiceRole.Worker, redis: api.Redis, dataRoot: api.DataRoot);

        Assert.Equal(HttpStatusCode.Accepted, retried.Status);
        Assert.Equal((HttpStatusCode.Accepted, retried.Body.GetRawText()), (again.Status, again.Body.GetRawText()));
        Assert.Equal("completed", Status(await api.WaitUntilFinishedAsync(jobId)));
    }

    [Fact]
    public async Task A_retry_is_refused_while_another_job_holds_the_run_id_and_for_a_job_that_is_not_failed()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        var first = await api.SubmitAsync(JobBodies.Simple("shared-run"));
        await PostAsync(api, "cancel", first);
        var second = await api.SubmitAsync(JobBodies.Simple("shared-run"));

        var busy = await PostAsync(api, "retry", first);
        var queued = await PostAsync(api, "retry", second);
        var unknown = await PostAsync(api, "retry", Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Conflict, busy.Status);
        Assert.Equal(second, busy.Body.GetProperty("existing_job_id").GetString());
        Assert.Equal("cancelled", Status(await api.StatusAsync(first)));
        Assert.Equal(HttpStatusCode.Accepted, queued.Status); // already queued: nothing to do
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(1, await api.Redis.Db.ListLengthAsync(api.Keys.Queue));
    }
}
