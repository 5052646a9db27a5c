using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// On start, a worker assumes its processing list holds jobs a previous run of it took and never finished, and
/// puts them back at the head of the queue. (Leases and a reaper for other workers' jobs come with crash safety.)
/// </summary>
public static class AbandonedJobs
{
    public static async Task<int> RequeueAsync(IConnectionMultiplexer redis, RedisKeys keys, string workerId)
    {
        var db = redis.GetDatabase();
        var moved = 0;
        // The processing list is pushed on the left, so its newest job is on the left. Each job moved onto the
        // queue's pop end (right) goes in front of those moved before it: moving newest first leaves the oldest to be
        // popped first, ahead of anything queued meanwhile.
        while (!(await db.ListMoveAsync(keys.Processing(workerId), keys.Queue, ListSide.Left, ListSide.Right).ConfigureAwait(false)).IsNull)
        {
            moved++;
        }
        return moved;
    }
}
