using StackExchange.Redis;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Must show 5: the worker takes as many jobs from Redis as its stages can hold, and never more.</summary>
public sealed class BackpressureSpecs
{
    private const int Jobs = 20;

    private const string AllStagesOne = """
        videoakka.stages { image-gen.parallelism = 1, video-gen.parallelism = 1, tts.parallelism = 1, subtitle.parallelism = 1, stitch.parallelism = 1, qc.parallelism = 1 }
        """;

    [Theory]
    [InlineData(0, 6)] // automatic: the sum of the six stage parallelisms
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    public async Task With_twenty_jobs_queued_the_jobs_out_of_the_queue_reach_the_configured_cap_and_never_exceed_it(int configured, int expectedCap)
    {
        var hocon = ServiceUnderTest.SmallFrames + "\n" + AllStagesOne + $"\nvideoakka.worker.max-jobs-in-flight = {configured}";
        await using var api = await ServiceUnderTest.StartAsync(hocon, role: ServiceRole.Api);
        var ids = new List<string>();
        for (var i = 0; i < Jobs; i++)
        {
            ids.Add(await api.SubmitAsync(JobBodies.Simple($"bp-{i:00}", scenes: 1, sceneSeconds: 0.5, voiceover: i % 2 == 0)));
        }
        Assert.Equal(Jobs, await api.Redis.Db.ListLengthAsync("video_orchestrator:queue"));

        var maxOut = 0;
        var sawJobsWaiting = false;
        await using (var worker = await ServiceUnderTest.StartAsync(hocon, role: ServiceRole.Worker, redis: api.Redis, dataRoot: api.DataRoot))
        {
            var jobKeys = ids.Select(id => (RedisKey)$"video_orchestrator:job:{id}").ToArray();
            // Sampled every 15 ms until every job is finished; one job stuck fails the spec at the guard instead of
            // hanging the run.
            await Eventually.WaitUntilAsync(async () =>
            {
                // Observed from outside, as an operator would: jobs taken from the queue and not yet finished.
                var queued = await api.Redis.Db.ListLengthAsync("video_orchestrator:queue");
                var finished = (await api.Redis.Db.StringGetAsync(jobKeys)).Count(v => v.ToString().Contains("\"status\":\"completed\"") || v.ToString().Contains("\"status\":\"failed\""));
                var outOfQueue = Jobs - (int)queued - finished;
                maxOut = Math.Max(maxOut, outOfQueue);
                sawJobsWaiting |= queued > 0 && outOfQueue > 0;
                return finished == Jobs;
            }, $"all {Jobs} jobs to finish", TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(15));
        }

        // Reached, not only never exceeded: a cap stuck at 1 (or a worker that takes one job at a time) fails here.
        Assert.Equal(expectedCap, maxOut);
        Assert.True(sawJobsWaiting, "jobs should have waited in Redis while the worker was busy");
        foreach (var id in ids)
        {
            Assert.Equal("completed", (await api.StatusAsync(id)).GetProperty("status").GetString());
        }
    }
}
