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
        // Oldest first: the processing list is pushed on the left, so its oldest job is on the right, and the
        // queue pops from the right.
        while (!(await db.ListMoveAsync(keys.Processing(workerId), keys.Queue, ListSide.Right, ListSide.Right).ConfigureAwait(false)).IsNull)
        {
            moved++;
        }
        return moved;
    }
}
