using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Notify;

/// <summary>
/// Sends the webhooks of outcomes decided outside the worker's graph (a queued job cancelled by the API) one after
/// another from its own loop, so the request that decided them does not wait for the receiver. Owned by the process:
/// disposing it lets the webhooks already posted go out, for a short while. (A durable outbox in Redis, which any
/// worker delivers from, comes with the control issue.)
/// </summary>
public sealed class WebhookDispatch : IAsyncDisposable
{
    private static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(5);
    private readonly Channel<JobRecord> _outcomes = Channel.CreateBounded<JobRecord>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource _stopping = new();
    private readonly WebhookNotifier _notifier;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public WebhookDispatch(WebhookNotifier notifier, ILogger<WebhookDispatch> logger)
    {
        _notifier = notifier;
        _logger = logger;
        _loop = SendAllAsync();
    }

    public void Post(JobRecord finished)
    {
        if (!_outcomes.Writer.TryWrite(finished))
        {
            _logger.LogWarning("Webhook for job {JobId} not sent: the service is stopping", finished.JobId);
        }
    }

    private async Task SendAllAsync()
    {
        await Task.Yield();
        await foreach (var finished in _outcomes.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await _notifier.NotifyAsync(finished, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogWarning("Webhook for job {JobId} abandoned: {Error}", finished.JobId, ex.GetType().Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outcomes.Writer.TryComplete();
        _stopping.CancelAfter(DrainOnStop);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
