using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Pipeline.Telemetry;

/// <summary>
/// Reads the queue's depth and the number of running jobs from Redis every interval (in API processes) and hands the
/// reading to <see cref="PipelineMetrics"/>: a scrape then reads the last sample instead of calling Redis itself, so a
/// slow Redis never slows /metrics, and many scrapers cost Redis nothing more. While Redis does not answer, the
/// gauges report nothing (an absent series, not a stale number).
/// </summary>
public sealed class QueueSampler(IConnectionMultiplexer redis, RedisKeys keys, PipelineMetrics metrics, TimeSpan interval, ILogger<QueueSampler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        var failing = false;
        do
        {
            try
            {
                metrics.RecordQueueSample(await SampleAsync(stoppingToken).ConfigureAwait(false));
                failing = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                metrics.RecordQueueSample(null);
                if (!failing)
                {
                    // Once per outage: readiness and the other parts report Redis being away in their own words.
                    logger.LogWarning("Queue metrics not sampled: {Error}", ex.Message);
                    failing = true;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task<QueueSample> SampleAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var queued = db.ListLengthAsync(keys.Queue);
        var running = db.SortedSetLengthAsync(keys.Leases);
        // Bounded by the interval: a sample that takes longer is worthless by the time it lands.
        await Task.WhenAll(queued, running).WaitAsync(interval, cancellationToken).ConfigureAwait(false);
        return new QueueSample(await queued.ConfigureAwait(false), await running.ConfigureAwait(false));
    }
}
