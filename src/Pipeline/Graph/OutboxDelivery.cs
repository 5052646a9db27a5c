using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Notify;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// Delivers the webhooks in the outbox, in every worker: takes what is due, tries each once, and settles it (delivered,
/// due again after a doubling wait, or given up after give-up-after since the job finished), recording the attempts in
/// the job's record. Receivers see the same webhook-id on every try of one outcome, from any worker.
/// </summary>
public sealed class OutboxDelivery(WebhookOutbox outbox, IJobStore store, WebhookNotifier notifier, TimeProvider clock, PipelineMetrics metrics,
    ILogger<OutboxDelivery> logger)
{
    private const int Batch = 16;
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);

    private WebhookSettings Settings => notifier.Settings;

    /// <summary>Runs until <paramref name="stopping"/>: a Redis outage only pauses it.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Claimed for two tries' length: a worker that dies while sending leaves it due again soon after.
                var due = await outbox.ClaimDueAsync(Batch, Settings.AttemptTimeout * 2).ConfigureAwait(false);
                if (due.Count == 0)
                {
                    await Task.Delay(Idle, clock, stopping).ConfigureAwait(false);
                    continue;
                }
                await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Batch, CancellationToken = stopping },
                    async (jobId, ct) => await DeliverOrLeaveAsync(jobId, ct).ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Redis away, or a fault no retry fixes: either way the outbox pauses, and never stops the worker.
                logger.LogWarning("Webhook outbox paused: {Error}", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stopping).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One entry's fault (an unreadable record, a Redis error) is logged and leaves it claimed: it is due again
    /// after the claim, never taking the other entries or the worker down with it.</summary>
    private async Task DeliverOrLeaveAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            using var scope = logger.BeginJobScope(jobId, null); // its record, and so its run, may be unreadable
            logger.LogWarning("Webhook for job {JobId} not tried this time: {Error}", jobId, ex.Message);
        }
    }

    private async Task DeliverAsync(string jobId, CancellationToken cancellationToken)
    {
        var json = await store.GetJsonAsync(jobId).ConfigureAwait(false);
        var record = json is null ? null : JobJson.DeserializeRecord(json);
        if (record is null || !record.Status.IsTerminal())
        {
            await outbox.DropAsync(jobId).ConfigureAwait(false); // retried since, or gone
            return;
        }
        using var scope = logger.BeginJobScope(jobId, record.RunId);
        var tried = await notifier.PostOnceAsync(record, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var attempts = (record.Webhook?.Attempts ?? 0) + 1;
        if (tried.Delivered)
        {
            metrics.WebhookTried("delivered");
            logger.LogInformation("Webhook for job {JobId} delivered on attempt {Attempt}", jobId, attempts);
            await outbox.DoneAsync(jobId, json!, record with { Webhook = new WebhookState(attempts, tried.Status, null, now) }).ConfigureAwait(false);
            return;
        }
        var giveUp = (Settings.MaxAttempts > 0 && attempts >= Settings.MaxAttempts)
            || now - (record.FinishedAt ?? now) >= (Settings.GiveUpAfter ?? TimeSpan.FromHours(24));
        var state = new WebhookState(attempts, tried.Status, tried.Error, null, giveUp ? now : null);
        metrics.WebhookTried(giveUp ? "failed" : "retried");
        if (giveUp)
        {
            logger.LogError("Webhook for job {JobId} not delivered after {Attempts} attempts ({Error}); the job's outcome stands", jobId, attempts, tried.Error);
            await outbox.DoneAsync(jobId, json!, record with { Webhook = state }).ConfigureAwait(false);
            return;
        }
        var wait = Settings.BackoffAfter(attempts);
        logger.LogWarning("Webhook for job {JobId} attempt {Attempt} failed ({Error}); next try in {Wait}", jobId, attempts, tried.Error, wait);
        await outbox.LaterAsync(jobId, wait, json!, record with { Webhook = state }).ConfigureAwait(false);
    }
}
