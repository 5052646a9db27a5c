namespace VideoAkka.Host.Submit;

/// <summary>How following ended: every job's last state, and, if the service was lost for too long, why.</summary>
public sealed record FollowResult(IReadOnlyDictionary<string, JobSnapshot> Ends, string? Lost);

/// <summary>
/// Follows jobs to their end through the all-jobs events stream (GET /orchestrate/events). The stream is best opened
/// before the jobs are submitted (<see cref="FollowAsync"/>'s <c>opened</c>): every update of theirs is then in it, in
/// order. Otherwise (and after a reconnect that cannot resume) it is opened before the jobs' records are read, so
/// nothing that happens between is missed. When it drops, the records are
/// polled (GET /orchestrate/status/{id}) while it is opened again with Last-Event-ID, which replays what was missed.
/// The service lost for longer than <paramref name="giveUpAfter"/> ends the wait.
/// </summary>
public sealed class JobFollower(ServiceClient client, IJobView view, TimeSpan giveUpAfter, TimeSpan stall)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, TrackedJob> _pending = [];
    private readonly Dictionary<string, JobSnapshot> _ends = [];
    private string? _lastNotice;

    /// <param name="opened">The events stream, opened before the jobs were submitted; null if it could not be.</param>
    public async Task<FollowResult> FollowAsync(IReadOnlyList<TrackedJob> jobs, HttpResponseMessage? opened, CancellationToken cancellationToken)
    {
        foreach (var job in jobs)
        {
            _pending[job.JobId] = job;
        }
        string? lastEventId = null;
        DateTime? lostSince = null;
        var backoff = TimeSpan.FromMilliseconds(500);
        while (_pending.Count > 0)
        {
            try
            {
                var subscribedEarly = opened is not null;
                using var stream = opened ?? await client.OpenEventsAsync(lastEventId, cancellationToken);
                opened = null;
                if (stream is null)
                {
                    lastEventId = null; // older than the service keeps: start afresh from the records
                    continue;
                }
                lostSince = Regained(lostSince);
                backoff = TimeSpan.FromMilliseconds(500);
                if (lastEventId is null && !subscribedEarly)
                {
                    await PollAsync(cancellationToken); // what happened before we subscribed
                }
                await foreach (var update in ServerSentEvents.ReadAsync(await stream.Content.ReadAsStreamAsync(cancellationToken), stall, cancellationToken))
                {
                    lastEventId = update.Id ?? lastEventId;
                    if (JobSnapshot.Parse(update.Data) is { } now)
                    {
                        await ApplyAsync(now, fromStream: true, cancellationToken);
                    }
                    if (_pending.Count == 0)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is ServiceUnavailableException or IOException or HttpRequestException)
            {
                // The stream dropped: poll, then reconnect with Last-Event-ID.
            }
            if (_pending.Count == 0)
            {
                break;
            }

            // Meanwhile the records say where the jobs are.
            try
            {
                await PollAsync(cancellationToken);
                lostSince = Regained(lostSince);
            }
            catch (ServiceUnavailableException e)
            {
                lostSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - lostSince > giveUpAfter)
                {
                    return new FollowResult(_ends, $"lost the service for {giveUpAfter.TotalSeconds:0} s: {e.Message}");
                }
                // Once per distinct reason: a restart says "stopping", then "connection refused", then nothing.
                var notice = $"the service does not answer ({e.Message}); trying again for up to {giveUpAfter.TotalSeconds:0} s";
                if (notice != _lastNotice)
                {
                    view.Notice(notice);
                    _lastNotice = notice;
                }
            }
            await Task.Delay(backoff, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
        return new FollowResult(_ends, null);
    }

    /// <returns>Null: the service is no longer lost.</returns>
    private DateTime? Regained(DateTime? lostSince)
    {
        if (lostSince is not null)
        {
            view.Notice("the service answers again");
            _lastNotice = null;
        }
        return null;
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        foreach (var jobId in _pending.Keys.ToList())
        {
            var now = await client.StatusAsync(jobId, cancellationToken)
                // Gone from the service (its record expired): nothing will ever say it ended.
                ?? new JobSnapshot(jobId, null, "failed", "", 0, "the service no longer knows this job", null);
            await ApplyAsync(now, fromStream: false, cancellationToken);
        }
    }

    private async Task ApplyAsync(JobSnapshot now, bool fromStream, CancellationToken cancellationToken)
    {
        if (!_pending.TryGetValue(now.JobId, out var job))
        {
            return; // someone else's job, or one of ours that has ended
        }
        if (!now.IsTerminal)
        {
            view.Changed(job, now);
            return;
        }
        if (fromStream && now.Status == "completed")
        {
            // The update names no file: the record does.
            try
            {
                now = await client.StatusAsync(now.JobId, cancellationToken) is { IsTerminal: true } record ? record : now;
            }
            catch (ServiceUnavailableException)
            {
                // The outcome is known; only its path is not.
            }
        }
        _pending.Remove(now.JobId);
        _ends[now.JobId] = now;
        view.Ended(job, now, client.VideoUrl(now.JobId));
    }
}
