using Polly;
using Polly.Retry;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// Retries an idempotent Redis write through an outage: only while Redis is unavailable (<see cref="RedisFault"/>),
/// a bounded number of tries, the wait doubling from the first backoff up to a ceiling. One place for what recording
/// an outcome and putting a job back on the queue both need, through Polly rather than a hand-written loop.
/// </summary>
public static class RedisRetry
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(5);

    /// <param name="attempts">Tries in all, the first included; the last failure is thrown.</param>
    /// <param name="onRetry">Told of each failure that is retried, with its 1-based attempt number.</param>
    public static Task RunAsync(Func<Task> write, int attempts, TimeSpan firstBackoff, TimeProvider clock,
        Action<Exception, int> onRetry, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            await write().ConfigureAwait(false);
            return true;
        }, attempts, firstBackoff, clock, onRetry, cancellationToken);

    /// <summary>The same, for a write that answers.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> write, int attempts, TimeSpan firstBackoff, TimeProvider clock,
        Action<Exception, int> onRetry, CancellationToken cancellationToken = default)
    {
        // The first try needs no pipeline: one is built only once Redis has failed to answer. Building it validates its
        // options by reflection, which every journal and outcome write paid before (issue 14: 8 % of a busy worker's CPU).
        // As Polly does before each try: a write asked for after its token was cancelled is not made.
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (attempts > 1 && RedisFault.IsUnavailable(ex))
        {
            onRetry(ex, 1);
        }
        await Task.Delay(firstBackoff, clock, cancellationToken).ConfigureAwait(false);
        if (attempts == 2)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await write().ConfigureAwait(false);
        }
        var pipeline = new ResiliencePipelineBuilder<T> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<T>
            {
                ShouldHandle = new PredicateBuilder<T>().Handle<Exception>(RedisFault.IsUnavailable),
                MaxRetryAttempts = attempts - 2,
                Delay = Min(firstBackoff * 2, LongestWait),
                MaxDelay = LongestWait,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!, args.AttemptNumber + 2);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        return await pipeline.ExecuteAsync(async _ => await write().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Retries for as long as <paramref name="window"/> lasts rather than a number of tries: for a write that
    /// must outlast an outage of a known length.</summary>
    public static async Task RunForAsync(Func<Task> write, TimeSpan window, TimeSpan firstBackoff, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var giveUpAt = clock.GetUtcNow() + window;
        const int MostRetriesWait = 2;
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await write().ConfigureAwait(false); // no pipeline while Redis answers, as above
            return;
        }
        catch (Exception ex) when (RedisFault.IsUnavailable(ex) && clock.GetUtcNow() < giveUpAt)
        {
        }
        await Task.Delay(firstBackoff, clock, cancellationToken).ConfigureAwait(false);
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && RedisFault.IsUnavailable(ex) && clock.GetUtcNow() < giveUpAt),
                MaxRetryAttempts = int.MaxValue,
                Delay = Min(firstBackoff * 2, TimeSpan.FromSeconds(MostRetriesWait)),
                MaxDelay = TimeSpan.FromSeconds(MostRetriesWait),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
            })
            .Build();
        await pipeline.ExecuteAsync(async _ => await write().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
