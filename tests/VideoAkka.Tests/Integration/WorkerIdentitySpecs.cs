using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>A second process started with a worker id already in use waits, and takes over when the first stops,
/// instead of taking the first one's running jobs back as abandoned.</summary>
public sealed class WorkerIdentitySpecs
{
    [Fact]
    public async Task A_second_worker_with_the_same_id_stands_by_until_the_first_stops_then_works_the_queue()
    {
        const string lease = "\nvideoakka.worker.lease = 1s";
        await using var redis = await TestRedis.StartAsync();
        await using var first = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + lease, redis: redis);
        var before = await first.SubmitAsync(JobBodies.Simple("before-run", scenes: 1));
        await first.WaitUntilFinishedAsync(before);
        var claim = (await first.Redis.Db.StringGetAsync("video_orchestrator:worker:test-worker")).ToString();
        Assert.False(string.IsNullOrEmpty(claim));

        await using var second = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + lease, role: ServiceRole.Worker, redis: redis, dataRoot: first.DataRoot);
        Assert.Equal(claim, (await first.Redis.Db.StringGetAsync("video_orchestrator:worker:test-worker")).ToString());

        await using (var api = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames, role: ServiceRole.Api, redis: redis, dataRoot: first.DataRoot))
        {
            await first.DisposeAsync(); // stops the first worker: its claim is released
            var after = await api.SubmitAsync(JobBodies.Simple("after-run", scenes: 1));

            var record = await api.WaitUntilFinishedAsync(after);

            Assert.Equal("completed", record.GetProperty("status").GetString());
            Assert.NotEqual(claim, (await api.Redis.Db.StringGetAsync("video_orchestrator:worker:test-worker")).ToString());
        }
    }
}
