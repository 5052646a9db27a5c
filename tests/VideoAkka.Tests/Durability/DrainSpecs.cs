using System.Diagnostics;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Durability;

/// <summary>Issue 11, Must show 3: SIGTERM during a render. The worker stops taking jobs, gives the running one its
/// drain-timeout, then hands it back: it exits within the drain plus a margin, none of its tools outlives it, and a
/// restarted worker completes the job from its events.</summary>
public sealed class DrainSpecs
{
    [Fact]
    public async Task Sigterm_during_a_render_exits_within_the_drain_leaves_no_tool_running_and_another_worker_completes_the_job()
    {
        const string hocon = DurableWorkers.DraftHocon + "\nvideoakka.worker.drain-timeout = 1s\nvideoakka.output.preset = veryslow";
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(hocon, role: ServiceRole.Api, redis: redis);
        await using var stopping = WorkerProcess.Start(redis.Url, api.DataRoot, hocon);
        // Eight minutes of video at veryslow: the render outlasts the drain by far, even on an idle machine.
        var jobId = await api.SubmitAsync(JobBodies.Simple("drained-run", scenes: 8, sceneSeconds: 60, voiceover: false));
        var folder = api.Folder("drained-run");
        await Eventually.WaitUntilAsync(async () => (await api.StatusAsync(jobId)).GetProperty("stage").GetString() == "stitch"
            && ProcessTable.CountFfmpeg("stitched_subtitled", folder) > 0, "the render to run", TimeSpan.FromSeconds(90));

        var clock = Stopwatch.StartNew();
        await stopping.StopAsync();
        var took = clock.Elapsed;

        Assert.True(stopping.HasExited);
        Assert.True(took < TimeSpan.FromSeconds(1 + 10), $"SIGTERM took {took} to end the worker\n{stopping.Log}");
        // Its tools die with it: ended by the cancellation, or by the kernel's parent-death signal a moment later.
        await Eventually.WaitUntilAsync(() => Task.FromResult(ProcessTable.CountWorkingIn(folder) == 0), "no tool left in the job folder", TimeSpan.FromSeconds(3));
        Assert.Contains(jobId, (await redis.Db.ListRangeAsync("video_orchestrator:queue")).Select(v => v.ToString()));
        Assert.False(await redis.Db.HashExistsAsync("video_orchestrator:attempts", jobId)); // handed back: no worker was lost

        await using var next = WorkerProcess.Start(redis.Url, api.DataRoot, DurableWorkers.DraftHocon);
        var record = await api.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", record.GetProperty("status").GetString());
        Assert.Equal(2, await JobJournal.CountAsync(redis.Db, jobId, "job_started"));
        Assert.Equal(8, await JobJournal.CountAsync(redis.Db, jobId, "clip_ready")); // its clips were not made again
    }

    [Fact]
    public async Task Sigterm_lets_a_running_job_finish_within_the_drain_and_takes_no_new_one()
    {
        const string hocon = DurableWorkers.DraftHocon + "\nvideoakka.worker.drain-timeout = 60s";
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(hocon, role: ServiceRole.Api, redis: redis);
        await using var stopping = WorkerProcess.Start(redis.Url, api.DataRoot, hocon);
        // A 20 s clip: running for a second or more on any machine, so a probe sees it running before the stop.
        var jobId = await api.SubmitAsync(JobBodies.Simple("finishes-run", scenes: 1, sceneSeconds: 20, voiceover: false));
        await Eventually.WaitUntilAsync(async () => (await api.StatusAsync(jobId)).GetProperty("status").GetString() == "running", "the job to run");

        var stop = stopping.StopAsync();
        await Eventually.WaitUntilAsync(async () => stopping.Log.Contains("running job(s) have", StringComparison.Ordinal), "the drain to begin");
        var later = await api.SubmitAsync(JobBodies.Simple("not-taken-run", scenes: 1, voiceover: false));
        await stop;

        Assert.True(stopping.HasExited);
        Assert.Equal("completed", (await api.StatusAsync(jobId)).GetProperty("status").GetString());
        Assert.Equal(1, await JobJournal.CountAsync(redis.Db, jobId, "job_started"));
        Assert.Equal("queued", (await api.StatusAsync(later)).GetProperty("status").GetString());
    }
}
