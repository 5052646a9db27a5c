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

    // KEYS: processing list, leases, holders, unleased. ARGV: job id, worker id, ttl ms.
    // Only a job still in this worker's list is leased: the reaper may have put back a pop that went unleased too long.
    // A job someone holds already was queued twice: this copy of it leaves the list and is not run.
    private const string AcquireScript = NowMs + """
        if not redis.call('LPOS', KEYS[1], ARGV[1]) then return 0 end
        if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then
          redis.call('LREM', KEYS[1], 1, ARGV[1])
          return 2
        end
        redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
        redis.call('ZREM', KEYS[4], ARGV[1])
        return 1
        """;

    // KEYS: leases, holders. ARGV: worker id, ttl ms, job ids... Returns the ids whose lease is no longer ours.
    private const string RenewScript = NowMs + """
        local lost = {}
        for i = 3, #ARGV do
          if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
            redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[i])
          else
            lost[#lost + 1] = ARGV[i]
          end
        end
        return lost
        """;

    // KEYS: processing list, queue, leases, holders, workers. ARGV: worker id.
    // A worker that stops in good order hands its jobs back: no worker was lost, so no attempt is counted.
    private const string ReleaseAllScript = """
        while true do
          local job = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
          if not job then break end
          if redis.call('HGET', KEYS[4], job) == ARGV[1] then
            redis.call('ZREM', KEYS[3], job)
            redis.call('HDEL', KEYS[4], job)
          end
        end
        redis.call('SREM', KEYS[5], ARGV[1])
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    private RedisKeys Keys => settings.Keys;

    /// <summary>Makes this worker's processing list known to every reaper.</summary>
    public Task RegisterAsync() => Db.SetAddAsync(Keys.Workers, settings.WorkerId);

    /// <summary>Leases a job just popped into this worker's processing list.</summary>
    public async Task<LeaseOutcome> AcquireAsync(string jobId) =>
        (long)await Db.ScriptEvaluateAsync(AcquireScript,
            [settings.ProcessingList, Keys.Leases, Keys.LeaseHolders, Keys.Unleased],
            [jobId, settings.WorkerId, (long)settings.LeaseTtl.TotalMilliseconds]).ConfigureAwait(false) switch
        {
            1 => LeaseOutcome.Acquired,
            2 => LeaseOutcome.HeldAlready,
            _ => LeaseOutcome.NotInList,
        };

    /// <summary>Extends the leases of the given jobs.</summary>
    /// <returns>The jobs whose lease another worker (or the reaper) has taken: their work here must stop at once.</returns>
    public async Task<IReadOnlyList<string>> RenewAsync(IReadOnlyCollection<string> jobIds)
    {
        if (jobIds.Count == 0)
        {
            return [];
        }
        RedisValue[] args = [settings.WorkerId, (long)settings.LeaseTtl.TotalMilliseconds, .. jobIds.Select(id => (RedisValue)id)];
        var lost = await Db.ScriptEvaluateAsync(RenewScript, [Keys.Leases, Keys.LeaseHolders], args).ConfigureAwait(false);
        return [.. ((RedisResult[])lost!).Select(r => r.ToString())];
    }

    /// <summary>Puts every job of this worker back at the head of the queue (oldest first) and gives up their leases,
    /// for another worker to resume from their events.</summary>
    public Task ReleaseAllAsync() =>
        Db.ScriptEvaluateAsync(ReleaseAllScript,
            [settings.ProcessingList, Keys.Queue, Keys.Leases, Keys.LeaseHolders, Keys.Workers],
            [settings.WorkerId]);
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
