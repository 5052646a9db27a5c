using System.Text.RegularExpressions;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Durability;

/// <summary>Issue 10, Must show 4: two workers on one queue. Each job runs exactly once: one start, one completion
/// and each part made once, counted from its events, and both workers take a share.</summary>
public sealed partial class TwoWorkerSpecs
{
    [Fact]
    public async Task Thirty_jobs_on_two_workers_each_run_exactly_once()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var first = await ServiceUnderTest.StartAsync(DurableWorkers.DraftHocon, redis: redis, workerId: "worker-a");
        await using var second = await ServiceUnderTest.StartAsync(DurableWorkers.DraftHocon, role: ServiceRole.Worker, redis: redis,
            dataRoot: first.DataRoot, workerId: "worker-b");
        var jobIds = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            jobIds.Add(await first.SubmitAsync(JobBodies.Simple($"pair-{i:00}", scenes: 1, sceneSeconds: 0.5, voiceover: false)));
        }

        var workers = new HashSet<string>();
        foreach (var jobId in jobIds)
        {
            Assert.Equal("completed", DurableWorkers.Status(await first.WaitUntilFinishedAsync(jobId)));
            var events = await JobJournal.EventsAsync(redis.Db, jobId);
            Assert.Equal(1, events.Count(e => e.Contains("\"event\":\"job_started\"", StringComparison.Ordinal)));
            Assert.Equal(1, events.Count(e => e.Contains("\"event\":\"image_ready\"", StringComparison.Ordinal)));
            Assert.Equal(1, events.Count(e => e.Contains("\"event\":\"clip_ready\"", StringComparison.Ordinal)));
            Assert.Equal(1, events.Count(e => e.Contains("\"event\":\"rendered\"", StringComparison.Ordinal)));
            Assert.Equal(1, events.Count(e => e.Contains("\"event\":\"completed\"", StringComparison.Ordinal)));
            workers.UnionWith(events.Select(e => WorkerOf().Match(e)).Where(m => m.Success).Select(m => m.Groups[1].Value));
        }
        Assert.Equal(["worker-a", "worker-b"], workers.Order());
    }

    [GeneratedRegex("\"event\":\"job_started\",\"worker_id\":\"([^\"]+)\"")]
    private static partial Regex WorkerOf();
}
