using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Http;

/// <summary>
/// One reader of the updates stream per API process, fanned out to every open event stream: hundreds of subscribers
/// cost one read of Redis every <see cref="Interval"/> between them (nothing per subscriber), and an idle one costs a
/// parked task. With no subscriber it reads only the newest id, not the updates. A subscriber that falls more
/// than <see cref="Subscription.Capacity"/> updates behind is ended, and resumes from its Last-Event-ID.
/// </summary>
public sealed class JobUpdateHub(JobUpdateStream stream, ILogger<JobUpdateHub> logger) : BackgroundService
{
    /// <summary>How often the stream is read: the most an update waits before its subscribers get it.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    // Replaced whole (ImmutableInterlocked), read by the loop: subscribing never waits for a lock.
    private ImmutableHashSet<Subscription> _subscriptions = [];

    public Subscription Subscribe()
    {
        Subscription? subscription = null;
        subscription = new Subscription(() => ImmutableInterlocked.Update(ref _subscriptions, set => set.Remove(subscription!)));
        ImmutableInterlocked.Update(ref _subscriptions, set => set.Add(subscription));
        return subscription;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (Volatile.Read(ref _subscriptions).IsEmpty || last is null)
                {
                    // Nobody listens: move to the newest entry instead of reading every update only to drop it (under a
                    // burst of submits that was thousands of entries a second parsed for nothing). The subscribers are
                    // looked at again after the newest id is read: one who subscribed before then is read for from
                    // where we were, one after it gets everything after that id.
                    var newest = await stream.LastIdAsync().ConfigureAwait(false);
                    if (Volatile.Read(ref _subscriptions).IsEmpty || last is null)
                    {
                        last = newest;
                        await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
                        continue;
                    }
                }
                var updates = await stream.AfterAsync(last).ConfigureAwait(false);
                foreach (var update in updates)
                {
                    last = update.Id;
                    foreach (var subscription in Volatile.Read(ref _subscriptions))
                    {
                        subscription.Offer(update);
                    }
                }
                if (updates.Count < JobUpdateStream.Batch)
                {
                    await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Never ends the loop: a failed background service would stop the whole host.
                logger.LogWarning("Reading job updates paused: {Error}", RedisFault.Reason(ex));
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}

/// <summary>One open event stream's queue of updates. Written by the hub's loop, read by the stream's request.</summary>
public sealed class Subscription(Action unsubscribe) : IDisposable
{
    public const int Capacity = 1024;

    private readonly Channel<StreamedUpdate> _updates = Channel.CreateBounded<StreamedUpdate>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }); // the hub writes, Dispose completes

    public ChannelReader<StreamedUpdate> Updates => _updates.Reader;

    /// <summary>A full queue ends the subscription rather than dropping an update or holding up the others.</summary>
    internal void Offer(StreamedUpdate update)
    {
        if (!_updates.Writer.TryWrite(update))
        {
            _updates.Writer.TryComplete();
        }
    }

    public void Dispose()
    {
        unsubscribe();
        _updates.Writer.TryComplete();
    }
}
