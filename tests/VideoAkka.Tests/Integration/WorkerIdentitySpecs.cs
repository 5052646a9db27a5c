using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>A second process started with a worker id already in use waits, and takes over when the first stops,
/// instead of taking the first one's running jobs back as abandoned.</summary>
public sealed class WorkerIdentitySpecs
{
    // Short, so the stand-by retries its claim often (a third of it), but not so short that a loaded machine delays the
    // first worker's renewal past it: its claim would then pass to the stand-by while it still works.
    private const string ShortLease = ServiceUnderTest.SmallFrames + "\nvideoakka.worker.lease = 8s";

    [Fact]
    public async Task A_second_worker_with_the_same_id_takes_no_job_while_the_first_lives_then_takes_over_when_it_stops()
    {
        // Each worker makes its jobs in its own data folder: where a job's video is names the worker that made it.
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api, redis: redis);
        await using var first = await ServiceUnderTest.StartAsync(ShortLease, role: ServiceRole.Worker, redis: redis);
        var claim = await Eventually.WaitForAsync(async () => (await redis.Db.StringGetAsync("video_orchestrator:worker:test-worker")).ToString() is { Length: > 0 } c ? c : null,
            "the first worker to claim its id");

        await using var second = await ServiceUnderTest.StartAsync(ShortLease, role: ServiceRole.Worker, redis: redis);
        // A settling pause, not a measurement: the stand-by tries its claim as it starts, so by now a stand-by that did
        // not stand by would be popping jobs beside the first.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var whileBothLive = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            whileBothLive.Add(await api.SubmitAsync(JobBodies.Simple($"both-live-{i}", scenes: 1, voiceover: false)));
        }
        foreach (var jobId in whileBothLive)
        {
            var record = await api.WaitUntilFinishedAsync(jobId);
            Assert.Equal("completed", record.GetProperty("status").GetString());
            Assert.StartsWith(first.DataRoot + "/", record.GetProperty("final_video_path").GetString());
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(second.DataRoot));
        Assert.Equal(claim, (await redis.Db.StringGetAsync("video_orchestrator:worker:test-worker")).ToString());

        await first.DisposeAsync(); // stops the first worker: its claim is released
        var after = await api.SubmitAsync(JobBodies.Simple("after-run", scenes: 1));
        var afterRecord = await api.WaitUntilFinishedAsync(after);

        Assert.Equal("completed", afterRecord.GetProperty("status").GetString());
        Assert.StartsWith(second.DataRoot + "/", afterRecord.GetProperty("final_video_path").GetString());
        Assert.NotEqual(claim, (await redis.Db.StringGetAsync("video_orchestrator:worker:test-worker")).ToString());
    }
}
