using System.Text.Json;
using StackExchange.Redis;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// Returns lost jobs to the queue, whatever worker held them. Every worker runs one; each step is one Lua script that
/// checks again what it acts on, so several reapers at once never move a job twice.
/// <list type="bullet">
/// <item>A lease that expired: its worker died or lost Redis for longer than the lease. The job goes back to the head
/// of the queue and one attempt is counted; the attempt that reaches max-attempts puts it in the dead letter instead
/// ("worker lost N times").</item>
/// <item>A job in a processing list with no lease: popped, but never started (its worker died at once, or the reply
/// of its BLMOVE was lost). Back to the queue with no attempt counted: when its worker is gone, at once; when it is
/// alive, once it has stayed unleased for a whole lease (a fresh pop gets its lease within moments).</item>
/// </list>
/// </summary>
/// <param name="outbox">Webhooks are configured: a job failed into the dead letter also goes into the outbox.</param>
/// <param name="retention">As for the job store: the buried record expires, the dead letter stays within its cap.</param>
public sealed class LeaseReaper(IConnectionMultiplexer redis, QueueSettings settings, bool outbox = false, Retention? retention = null)
{
    private readonly Retention _retention = retention ?? Retention.Default;

    private const int Batch = 100;

    // KEYS: leases, holders, attempts, processing list of the holder, queue. ARGV: job id, holder.
    private const string ReclaimScript = JobLeases.NowMs + """
        local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not deadline or tonumber(deadline) > now or redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
        redis.call('LREM', KEYS[4], 0, ARGV[1])
        redis.call('RPUSH', KEYS[5], ARGV[1])
        return 1
        """;

    // KEYS: leases, holders, attempts, processing list of the holder, job record, run guard, dead letter, outbox, journal,
    // journal's highest, live progress, updates. ARGV: job id, holder, failed record JSON, dead-letter JSON, "1" to put the outcome in the
    // outbox, retention ms, dead-letter cap, the update.
    private const string BuryScript = JobLeases.NowMs + JobFeed.Lua + """
        local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not deadline or tonumber(deadline) > now or redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('LREM', KEYS[4], 0, ARGV[1])
        redis.call('SET', KEYS[5], ARGV[3], 'PX', ARGV[6])
        redis.call('PEXPIRE', KEYS[9], ARGV[6])
        redis.call('PEXPIRE', KEYS[10], ARGV[6])
        redis.call('DEL', KEYS[11])
        if redis.call('GET', KEYS[6]) == ARGV[1] then redis.call('DEL', KEYS[6]) end
        redis.call('RPUSH', KEYS[7], ARGV[4])
        redis.call('LTRIM', KEYS[7], -tonumber(ARGV[7]), -1)
        if ARGV[5] == '1' then redis.call('ZADD', KEYS[8], now, ARGV[1]) end
        feed(KEYS[12], ARGV[1], ARGV[8])
        return 1
        """;

    // KEYS: processing list, leases, queue, unleased. ARGV: job id. A job that got a lease meanwhile is left alone.
    private const string RequeueUnleasedScript = """
        if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
        redis.call('ZREM', KEYS[4], ARGV[1])
        if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
        redis.call('RPUSH', KEYS[3], ARGV[1])
        return 1
        """;

    // KEYS: workers, processing list, claim. ARGV: worker id. Forgets a worker only if it is gone and its list is empty.
    private const string ForgetWorkerScript = """
        if redis.call('EXISTS', KEYS[3]) == 1 or redis.call('LLEN', KEYS[2]) > 0 then return 0 end
        return redis.call('SREM', KEYS[1], ARGV[1])
        """;

    private IDatabase Db => redis.GetDatabase();

    private RedisKeys Keys => settings.Keys;

    /// <summary>One sweep over expired leases and unleased jobs.</summary>
    public async Task<ReapReport> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = await RedisNowAsync().ConfigureAwait(false);
        var requeued = new List<string>();
        var buried = new List<JobRecord>();
        var expired = await Db.SortedSetRangeByScoreAsync(Keys.Leases, double.NegativeInfinity, now, take: Batch).ConfigureAwait(false);
        foreach (var job in expired)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var jobId = job.ToString();
            var holder = await Db.HashGetAsync(Keys.LeaseHolders, jobId).ConfigureAwait(false);
            if (holder.IsNull)
            {
                await Db.SortedSetRemoveAsync(Keys.Leases, jobId).ConfigureAwait(false); // half-written lease: nothing holds it
                continue;
            }
            var lost = (long)(await Db.HashGetAsync(Keys.Attempts, jobId).ConfigureAwait(false) is { IsNull: false } a ? (long)a : 0) + 1;
            if (lost >= settings.MaxAttempts && await BuryAsync(jobId, holder.ToString(), lost, now).ConfigureAwait(false) is { } record)
            {
                buried.Add(record);
            }
            else if (lost < settings.MaxAttempts && await ReclaimAsync(jobId, holder.ToString()).ConfigureAwait(false))
            {
                requeued.Add(jobId);
            }
        }
        var recovered = await RecoverUnleasedAsync(now, cancellationToken).ConfigureAwait(false);
        return new ReapReport([.. requeued], [.. buried], recovered);
    }

    private async Task<bool> ReclaimAsync(string jobId, string holder) =>
        (long)await Db.ScriptEvaluateAsync(ReclaimScript,
            [Keys.Leases, Keys.LeaseHolders, Keys.Attempts, Keys.Processing(JobLease.WorkerOf(holder)), Keys.Queue],
            [jobId, holder]).ConfigureAwait(false) == 1;

    /// <summary>The last attempt is lost: the job fails into the dead letter, its record keeping everything else.</summary>
    private async Task<JobRecord?> BuryAsync(string jobId, string holder, long lost, long nowMs)
    {
        // The live progress says where the job was when its last worker was lost: kept in the failed record.
        var json = await Db.StringGetAsync(Keys.Job(jobId)).ConfigureAwait(false);
        var live = await Db.HashGetAsync(Keys.Progress(jobId), JobProgressMerge.Fields).ConfigureAwait(false);
        var record = json.IsNull ? null : JobJson.DeserializeRecord(json.ToString()) is { } stored ? JobProgressMerge.Apply(stored, live) : null;
        var error = $"worker lost {lost} times (videoakka.worker.max-attempts = {settings.MaxAttempts})";
        var at = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
        var failed = record is null
            ? new JobRecord
            {
                JobId = jobId, RunId = "", Status = JobStatus.Failed, Stage = JobStages.Preparing, CreatedAt = at,
                FinishedAt = at, OutputDir = "", Error = error, Payload = JobJson.Null,
            }
            : record with { Status = JobStatus.Failed, Error = error, FinishedAt = at, FinalVideoPath = null };
        var deadLetter = JsonSerializer.Serialize(new DeadLetterEntry(jobId, failed.Payload, error), JobJson.Default.DeadLetterEntry);
        var done = (long)await Db.ScriptEvaluateAsync(BuryScript,
            [Keys.Leases, Keys.LeaseHolders, Keys.Attempts, Keys.Processing(JobLease.WorkerOf(holder)), Keys.Job(jobId), Keys.ActiveRun(failed.RunId), Keys.DeadLetter, Keys.Outbox,
                Keys.Journal(jobId), Keys.JournalHighest(jobId), Keys.Progress(jobId), Keys.Updates],
            [jobId, holder, JobJson.Serialize(failed), deadLetter, outbox ? "1" : "", _retention.RecordsMs, _retention.DeadLetter,
                JobUpdate.Of(failed).ToJson()]).ConfigureAwait(false) == 1;
        return done ? failed : null;
    }

    private async Task<int> RecoverUnleasedAsync(long now, CancellationToken cancellationToken)
    {
        var recovered = 0;
        // From when a sweep first sees it: with the sweep period added, a lost pop is back within one lease.
        var graceMs = (long)(settings.LeaseTtl - settings.RenewInterval).TotalMilliseconds;
        foreach (var member in await Db.SetMembersAsync(Keys.Workers).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var workerId = member.ToString();
            var list = Keys.Processing(workerId);
            var alive = await Db.KeyExistsAsync(Keys.Worker(workerId)).ConfigureAwait(false);
            var jobs = await Db.ListRangeAsync(list).ConfigureAwait(false);
            if (!alive && jobs.Length == 0)
            {
                await Db.ScriptEvaluateAsync(ForgetWorkerScript, [Keys.Workers, list, Keys.Worker(workerId)], [workerId]).ConfigureAwait(false);
                continue;
            }
            foreach (var job in jobs)
            {
                if ((await Db.SortedSetScoreAsync(Keys.Leases, job).ConfigureAwait(false)).HasValue)
                {
                    continue; // running (or its expired lease is handled above)
                }
                if (alive)
                {
                    await Db.SortedSetAddAsync(Keys.Unleased, job, now, SortedSetWhen.NotExists).ConfigureAwait(false);
                    var since = await Db.SortedSetScoreAsync(Keys.Unleased, job).ConfigureAwait(false) ?? now;
                    if (now - since < graceMs)
                    {
                        continue;
                    }
                }
                if ((long)await Db.ScriptEvaluateAsync(RequeueUnleasedScript, [list, Keys.Leases, Keys.Queue, Keys.Unleased], [job]).ConfigureAwait(false) == 1)
                {
                    recovered++;
                }
            }
        }
        return recovered;
    }

    private async Task<long> RedisNowAsync()
    {
        var time = (RedisResult[])(await Db.ExecuteAsync("TIME").ConfigureAwait(false))!;
        return (long)time[0] * 1000 + (long)time[1] / 1000;
    }
}

/// <summary>What one sweep did.</summary>
/// <param name="Requeued">Jobs whose worker was lost, back on the queue with an attempt counted.</param>
/// <param name="Buried">Jobs that reached max-attempts: failed, in the dead letter (and the outbox).</param>
/// <param name="Recovered">Jobs popped but never started, back on the queue.</param>
public sealed record ReapReport(IReadOnlyList<string> Requeued, IReadOnlyList<JobRecord> Buried, int Recovered)
{
    public bool IsEmpty => Requeued.Count == 0 && Buried.Count == 0 && Recovered == 0;
}
