using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// On start, a worker whose id was set (VIDEOAKKA_WORKER_ID) may find jobs in its processing list that a previous run
/// of it took and neither finished nor handed back (it was killed). Unleased ones go back to the queue at once; each
/// leased one has its lease expired now, so the next sweep of <see cref="LeaseReaper"/> returns it and counts the lost
/// worker, as for any other worker's. (A default id is new at every start, so its list starts empty.)
/// </summary>
public static class AbandonedJobs
{
    // KEYS: processing list, leases, holders, queue, unleased. ARGV: "worker id/".
    // LRANGE lists the newest first; pushing each onto the queue's pop end in that order leaves the oldest to be
    // popped first, ahead of anything queued meanwhile.
    private const string RecoverScript = """
        local jobs = redis.call('LRANGE', KEYS[1], 0, -1)
        local expired, moved = 0, 0
        for i = 1, #jobs do
          local job = jobs[i]
          local holder = redis.call('HGET', KEYS[3], job)
          if holder and string.sub(holder, 1, #ARGV[1]) == ARGV[1] then
            redis.call('ZADD', KEYS[2], 0, job)
            expired = expired + 1
          elseif not redis.call('ZSCORE', KEYS[2], job) then
            redis.call('LREM', KEYS[1], 1, job)
            redis.call('RPUSH', KEYS[4], job)
            redis.call('ZREM', KEYS[5], job)
            moved = moved + 1
          end
        end
        return moved + expired
        """;

    /// <returns>How many jobs were found.</returns>
    public static async Task<int> RecoverAsync(IConnectionMultiplexer redis, QueueSettings settings) =>
        (int)(long)await redis.GetDatabase().ScriptEvaluateAsync(RecoverScript,
            [settings.ProcessingList, settings.Keys.Leases, settings.Keys.LeaseHolders, settings.Keys.Queue, settings.Keys.Unleased],
            [settings.WorkerId + "/"]).ConfigureAwait(false);
}
