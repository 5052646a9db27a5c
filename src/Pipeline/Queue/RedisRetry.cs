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
    public static Task<T> RunAsync<T>(Func<Task<T>> write, int attempts, TimeSpan firstBackoff, TimeProvider clock,
        Action<Exception, int> onRetry, CancellationToken cancellationToken = default)
    {
        var pipeline = new ResiliencePipelineBuilder<T> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<T>
            {
                ShouldHandle = new PredicateBuilder<T>().Handle<Exception>(RedisFault.IsUnavailable),
                MaxRetryAttempts = attempts - 1,
                Delay = firstBackoff,
                MaxDelay = LongestWait,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!, args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        return pipeline.ExecuteAsync(async _ => await write().ConfigureAwait(false), cancellationToken).AsTask();
    }

    /// <summary>Retries for as long as <paramref name="window"/> lasts rather than a number of tries: for a write that
    /// must outlast an outage of a known length.</summary>
    public static Task RunForAsync(Func<Task> write, TimeSpan window, TimeSpan firstBackoff, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var giveUpAt = clock.GetUtcNow() + window;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && RedisFault.IsUnavailable(ex) && clock.GetUtcNow() < giveUpAt),
                MaxRetryAttempts = int.MaxValue,
                Delay = firstBackoff,
                MaxDelay = TimeSpan.FromSeconds(2),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
            })
            .Build();
        return pipeline.ExecuteAsync(async _ => await write().ConfigureAwait(false), cancellationToken).AsTask();
    }
}
