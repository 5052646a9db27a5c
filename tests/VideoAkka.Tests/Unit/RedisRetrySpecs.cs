using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Unit;

/// <summary>Retries of idempotent Redis writes: only while Redis is unavailable, a bounded number of tries, the
/// first without any retry machinery.</summary>
public sealed class RedisRetrySpecs
{
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(1);

    private static RedisConnectionException Down() => new(ConnectionFailureType.UnableToConnect, CommandFlags.None, "No connection is active (test)");

    /// <summary>A write that fails as an unreachable Redis does the given number of times, then answers its try number.</summary>
    private sealed class FlakyWrite(int failures)
    {
        public int Tries { get; private set; }

        public Task<int> RunAsync() => ++Tries <= failures ? Task.FromException<int>(Down()) : Task.FromResult(Tries);
    }

    [Fact]
    public async Task A_write_that_succeeds_is_made_once_and_nothing_is_retried()
    {
        var write = new FlakyWrite(0);
        var retried = new List<int>();

        var answer = await RedisRetry.RunAsync(write.RunAsync, 5, Backoff, TimeProvider.System, (_, attempt) => retried.Add(attempt));

        Assert.Equal((1, 1), (answer, write.Tries));
        Assert.Empty(retried);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task A_write_failing_while_redis_is_away_is_tried_again_and_each_retry_is_told_its_attempt(int failures)
    {
        var write = new FlakyWrite(failures);
        var retried = new List<int>();

        var answer = await RedisRetry.RunAsync(write.RunAsync, 5, Backoff, TimeProvider.System, (_, attempt) => retried.Add(attempt));

        Assert.Equal(failures + 1, answer);
        Assert.Equal(Enumerable.Range(1, failures), retried);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task After_its_last_attempt_the_last_failure_is_thrown(int attempts)
    {
        var write = new FlakyWrite(int.MaxValue);

        await Assert.ThrowsAsync<RedisConnectionException>(() => RedisRetry.RunAsync(write.RunAsync, attempts, Backoff, TimeProvider.System, (_, _) => { }));

        Assert.Equal(attempts, write.Tries);
    }

    [Fact]
    public async Task A_failure_that_is_not_redis_being_away_is_not_retried()
    {
        var tries = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => RedisRetry.RunAsync<int>(
            () => { tries++; throw new InvalidOperationException("a bug, not an outage"); }, 5, Backoff, TimeProvider.System, (_, _) => { }));

        Assert.Equal(1, tries);
    }

    [Fact]
    public async Task A_windowed_write_is_retried_until_it_lands_within_its_window()
    {
        var write = new FlakyWrite(3);

        await RedisRetry.RunForAsync(write.RunAsync, TimeSpan.FromSeconds(30), Backoff, TimeProvider.System);

        Assert.Equal(4, write.Tries);
    }

    [Fact]
    public async Task A_windowed_write_gives_up_once_its_window_has_passed()
    {
        var write = new FlakyWrite(int.MaxValue);

        await Assert.ThrowsAsync<RedisConnectionException>(() => RedisRetry.RunForAsync(write.RunAsync, TimeSpan.FromMilliseconds(200), Backoff, TimeProvider.System));

        Assert.True(write.Tries > 1, $"tried {write.Tries} time(s)");
    }

    [Fact]
    public async Task A_write_asked_for_after_its_token_was_cancelled_is_not_made()
    {
        var write = new FlakyWrite(0);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RedisRetry.RunAsync(write.RunAsync, 5, Backoff, TimeProvider.System, (_, _) => { }, new CancellationToken(canceled: true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RedisRetry.RunForAsync(write.RunAsync, TimeSpan.FromSeconds(1), Backoff, TimeProvider.System, new CancellationToken(canceled: true)));

        Assert.Equal(0, write.Tries);
    }
}
