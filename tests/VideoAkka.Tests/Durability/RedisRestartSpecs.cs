using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Durability;

/// <summary>Issue 10, Must show 3: Redis restarted mid-run (append-only file on). The worker retries with backoff and
/// carries on when Redis is back: every job completes, none is failed because Redis went away for a moment.</summary>
public sealed class RedisRestartSpecs
{
    [Fact]
    public async Task Every_job_completes_and_none_fails_when_redis_restarts_mid_run()
    {
        await using var redis = await TestRedis.StartAsync(durable: true);
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.worker.lease = 15s\nvideoakka.retention.keep-completed-journals = on", redis: redis);
        var jobIds = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            jobIds.Add(await service.SubmitAsync(JobBodies.Simple($"restart-{i}", scenes: 3, sceneSeconds: 3)));
        }
        // Started (a quick job may be done before a probe sees it running): the others are queued or running.
        await Eventually.WaitUntilAsync(async () =>
            (await service.StatusAsync(jobIds[0])).GetProperty("status").GetString() != "queued", "the first job to start");

        await redis.RestartAsync(down: TimeSpan.FromSeconds(1));

        foreach (var jobId in jobIds)
        {
            var record = await service.WaitUntilFinishedAsync(jobId);
            Assert.True(DurableWorkers.Status(record) == "completed", record.ToString());
        }
        Assert.Equal(0, await redis.Db.ListLengthAsync("video_orchestrator:dead_letter"));
        var starts = new List<int>();
        foreach (var jobId in jobIds)
        {
            starts.Add(await JobJournal.CountAsync(redis.Db, jobId, "job_started"));
        }
        Assert.Equal([1, 1, 1, 1], starts);
    }

    [Fact]
    public async Task A_redis_outage_longer_than_a_command_timeout_but_shorter_than_the_lease_fails_and_restarts_no_job()
    {
        // Down for 7 s: past StackExchange.Redis's 5 s command timeout, so journal, record and lease writes fail and
        // must be retried; within the 15 s lease, so no job may be given to another worker or run again.
        await using var redis = await TestRedis.StartAsync(durable: true);
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.worker.lease = 15s\nvideoakka.retention.keep-completed-journals = on", redis: redis);
        var jobIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            jobIds.Add(await service.SubmitAsync(JobBodies.Simple($"outage-{i}", scenes: 3, sceneSeconds: 3)));
        }
        // Started (a quick job may be done before a probe sees it running): the others are queued or running.
        await Eventually.WaitUntilAsync(async () =>
            (await service.StatusAsync(jobIds[0])).GetProperty("status").GetString() != "queued", "the first job to start");

        await redis.RestartAsync(down: TimeSpan.FromSeconds(7));

        foreach (var jobId in jobIds)
        {
            var record = await service.WaitUntilFinishedAsync(jobId);
            Assert.True(DurableWorkers.Status(record) == "completed", record.ToString());
            Assert.Equal(1, await JobJournal.CountAsync(redis.Db, jobId, "job_started"));
            Assert.Equal(1, await JobJournal.CountAsync(redis.Db, jobId, "completed"));
        }
        Assert.Equal(0, await redis.Db.ListLengthAsync("video_orchestrator:dead_letter"));
        Assert.Equal(0, await redis.Db.HashLengthAsync("video_orchestrator:attempts"));
    }
}
