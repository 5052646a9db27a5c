using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// This worker's leases on the jobs it runs. A popped job gets a lease before anything else happens to it; the worker
/// renews all its leases together; a lease that is not renewed expires and <see cref="LeaseReaper"/> (in any worker)
/// puts the job back on the queue. Times are Redis's own (TIME), so workers' clocks never disagree about expiry.
/// </summary>
public sealed class JobLeases(IConnectionMultiplexer redis, QueueSettings settings)
{
    /// <summary>Redis's clock in milliseconds, inside a script.</summary>
    internal const string NowMs = "local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n";

    // KEYS: processing list, leases, holders, unleased. ARGV: job id, holder, ttl ms. The lease part of every script
    // that starts a job: it returns 0 or 2 from the script, or falls through with the job leased.
    // Only a job still in this worker's list is leased: the reaper may have put back a pop that went unleased too long.
    // A job someone holds already was queued twice: this copy of it leaves the list and is not run.
    internal const string AcquireLua = NowMs + """
        if not redis.call('LPOS', KEYS[1], ARGV[1]) then return 0 end
        if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then
          redis.call('LREM', KEYS[1], 1, ARGV[1])
          return 2
        end
        redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
        redis.call('ZREM', KEYS[4], ARGV[1])

        """;

    private const string AcquireScript = AcquireLua + "return 1";

    // KEYS: leases, holders, workers. ARGV: worker id, ttl ms, the cancel-request key prefix, then job id / holder pairs.
    // Returns the ids whose lease is no longer ours, and those with a cancel request (read by name from the prefix:
    // they are this worker's own jobs, on a single Redis). The worker names itself in the set of workers again: a
    // reaper that took it for gone (its claim lapsed while Redis was away) must find its list again.
    private const string RenewScript = NowMs + """
        redis.call('SADD', KEYS[3], ARGV[1])
        local lost, cancel = {}, {}
        for i = 4, #ARGV, 2 do
          if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[i + 1] then
            redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[i])
            if redis.call('EXISTS', ARGV[3] .. ARGV[i]) == 1 then cancel[#cancel + 1] = ARGV[i] end
          else
            lost[#lost + 1] = ARGV[i]
          end
        end
        return { lost, cancel }
        """;

    // KEYS: processing list, queue, leases, holders, unleased. ARGV: "worker id/".
    // A worker that stops in good order hands its jobs back: no worker was lost, so no attempt is counted. It stays in
    // the set of workers: a pop landing after this is found there by a reaper.
    private const string ReleaseAllScript = """
        while true do
          local job = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
          if not job then break end
          local holder = redis.call('HGET', KEYS[4], job)
          if holder and string.sub(holder, 1, #ARGV[1]) == ARGV[1] then
            redis.call('ZREM', KEYS[3], job)
            redis.call('HDEL', KEYS[4], job)
          end
          redis.call('ZREM', KEYS[5], job)
        end
        return 1
        """;

    // KEYS: processing list, queue, leases, holders. ARGV: job id, holder. Only while the lease is still this one.
    private const string HandBackScript = """
        if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[4], ARGV[1])
        if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then redis.call('RPUSH', KEYS[2], ARGV[1]) end
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    private RedisKeys Keys => settings.Keys;

    /// <summary>Makes this worker's processing list known to every reaper.</summary>
    public Task RegisterAsync() => Db.SetAddAsync(Keys.Workers, settings.WorkerId);

    private long LeaseMs => (long)settings.LeaseLength.TotalMilliseconds;

    /// <summary>Leases a job just popped into this worker's processing list. (The worker's start step leases and reads
    /// a job in one script instead: <see cref="IJobStore.LeaseAsync"/>.)</summary>
    /// <returns>The lease, or null with why the job must not run here.</returns>
    public async Task<(LeaseOutcome Outcome, JobLease? Lease)> AcquireAsync(string jobId)
    {
        var lease = JobLease.New(settings.WorkerId);
        var answer = (long)await Db.ScriptEvaluateAsync(AcquireScript,
            [settings.ProcessingList, Keys.Leases, Keys.LeaseHolders, Keys.Unleased], [jobId, lease.Holder, LeaseMs]).ConfigureAwait(false);
        var outcome = LeaseOutcomes.Of(answer);
        return (outcome, outcome == LeaseOutcome.Acquired ? lease : null);
    }

    /// <summary>Extends the leases of the given jobs.</summary>
    /// <returns>The jobs whose lease another worker (or the reaper) has taken: their work here must stop at once; and
    /// those asked to be cancelled (a worker that missed the message on the cancel channel learns it here).</returns>
    public async Task<(IReadOnlyList<string> Lost, IReadOnlyList<string> CancelRequested)> RenewAsync(IReadOnlyCollection<(string JobId, JobLease Lease)> leases)
    {
        RedisValue[] args = [settings.WorkerId, LeaseMs, Keys.CancelRequested(""), .. leases.SelectMany(l => new RedisValue[] { l.JobId, l.Lease.Holder })];
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(RenewScript, [Keys.Leases, Keys.LeaseHolders, Keys.Workers], args).ConfigureAwait(false))!;
        return ([.. ((RedisResult[])result[0]!).Select(r => r.ToString())], [.. ((RedisResult[])result[1]!).Select(r => r.ToString())]);
    }

    /// <summary>Puts one job back at the head of the queue with its lease given up, if the lease is still this one
    /// (its owner stopped before the job finished); otherwise changes nothing.</summary>
    public async Task<bool> HandBackAsync(string jobId, JobLease lease) =>
        (long)await Db.ScriptEvaluateAsync(HandBackScript,
            [Keys.Processing(lease.WorkerId), Keys.Queue, Keys.Leases, Keys.LeaseHolders],
            [jobId, lease.Holder]).ConfigureAwait(false) == 1;

    /// <summary>Puts every job of this worker back at the head of the queue (oldest first) and gives up their leases,
    /// for another worker to resume from their events.</summary>
    public Task ReleaseAllAsync() =>
        Db.ScriptEvaluateAsync(ReleaseAllScript,
            [settings.ProcessingList, Keys.Queue, Keys.Leases, Keys.LeaseHolders, Keys.Unleased],
            [settings.WorkerId + "/"]);
}

/// <summary>The answers of <see cref="JobLeases.AcquireLua"/>.</summary>
internal static class LeaseOutcomes
{
    public static LeaseOutcome Of(long answer) => answer switch
    {
        1 => LeaseOutcome.Acquired,
        2 => LeaseOutcome.HeldAlready,
        _ => LeaseOutcome.NotInList,
    };
}

/// <summary>What leasing a popped job found.</summary>
public enum LeaseOutcome
{
    /// <summary>The job is this worker's to run.</summary>
    Acquired,

    /// <summary>The job left this worker's list meanwhile (the reaper put it back): it is not run here.</summary>
    NotInList,

    /// <summary>A worker holds the job already (it was queued twice): this copy left the list and is not run.</summary>
    HeldAlready,
}
