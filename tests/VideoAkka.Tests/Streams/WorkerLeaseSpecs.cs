using VideoAkka.Pipeline.Queue;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Streams;

/// <summary>Two live processes must never share a worker id: the claim in Redis decides who has it.</summary>
public sealed class WorkerLeaseSpecs : IAsyncLifetime
{
    private TestRedis _redis = null!;

    public async Task InitializeAsync() => _redis = await TestRedis.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    /// <summary>A claim as one process makes it: each call is another process unless it passes the same token.</summary>
    private WorkerLease Lease(string id = "w1", double seconds = 10, string? token = null) =>
        new(_redis.Connection, RedisKeys.Default, id, TimeSpan.FromSeconds(seconds), token ?? Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_worker_id_claimed_by_one_process_cannot_be_claimed_by_another()
    {
        Assert.True(await Lease().TryAcquireAsync());
        Assert.False(await Lease().TryAcquireAsync());
        Assert.True(await Lease("w2").TryAcquireAsync());
    }

    [Fact]
    public async Task The_same_process_takes_its_own_claim_back_at_once_after_its_worker_restarts()
    {
        Assert.True(await Lease(token: "process-1").TryAcquireAsync());

        Assert.True(await Lease(token: "process-1").TryAcquireAsync());
        Assert.False(await Lease(token: "process-2").TryAcquireAsync());
    }

    [Fact]
    public async Task A_released_claim_can_be_taken_at_once()
    {
        var first = Lease();
        await first.TryAcquireAsync();

        await first.ReleaseAsync();

        Assert.True(await Lease().TryAcquireAsync());
    }

    [Fact]
    public async Task Only_the_holder_can_renew_or_release_a_claim()
    {
        var holder = Lease();
        var other = Lease();
        await holder.TryAcquireAsync();

        Assert.False(await other.RenewAsync());
        await other.ReleaseAsync();

        Assert.True(await holder.RenewAsync());
        Assert.False(await Lease().TryAcquireAsync());
    }

    [Fact]
    public async Task The_claim_of_a_worker_that_died_expires()
    {
        await Lease(seconds: 0.3).TryAcquireAsync();

        await Eventually.WaitUntilAsync(() => Lease().TryAcquireAsync(), "the dead worker's claim to expire", TimeSpan.FromSeconds(20));
    }
}
