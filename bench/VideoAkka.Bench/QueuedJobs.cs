using System.Text.Json;
using StackExchange.Redis;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Bench;

/// <summary>
/// Jobs put straight into Redis through the store's own submit script (what POST /orchestrate/start writes), many at
/// once, so that the orchestration benchmarks measure the worker and not the API. They can be held out of the queue
/// (the list renamed aside) while the workers start, so every worker is ready when the first job is there.
/// </summary>
internal static class QueuedJobs
{
    private const string HeldQueue = "bench:held-queue";

    /// <summary>The job every orchestration bench runs: one scene, no voiceover (a no-op job, like BullMQ's).</summary>
    public static JsonElement Payload(string runId) =>
        JsonDocument.Parse(BenchService.Body(runId).ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.Clone();

    /// <returns>The ids, in submit order.</returns>
    public static async Task<string[]> SubmitAsync(IConnectionMultiplexer redis, string dataRoot, int count, string prefix)
    {
        var store = new RedisJobStore(redis, RedisKeys.Default);
        var ids = new string[count];
        const int Batch = 2000;
        for (var start = 0; start < count; start += Batch)
        {
            var end = Math.Min(count, start + Batch);
            await Task.WhenAll(Enumerable.Range(start, end - start).Select(async i =>
            {
                var runId = $"{prefix}-{i}";
                ids[i] = Guid.NewGuid().ToString();
                var outcome = await store.SubmitAsync(JobRecord.Queued(ids[i], runId, JobFolder.For(dataRoot, runId).Path, Payload(runId), DateTimeOffset.UtcNow));
                if (outcome is not SubmitOutcome.Queued)
                {
                    throw new InvalidOperationException($"job {i} was not queued: {outcome}");
                }
            }));
        }
        return ids;
    }

    /// <summary>Takes the whole queue aside (one RENAME): no worker sees it until <see cref="ReleaseAsync"/>.</summary>
    public static Task HoldAsync(IDatabase db) => db.KeyRenameAsync(RedisKeys.Default.Queue, HeldQueue);

    public static Task ReleaseAsync(IDatabase db) => db.KeyRenameAsync(HeldQueue, RedisKeys.Default.Queue);

    /// <summary>Jobs waiting in the queue, leased (started, not finished), and in the workers' processing lists
    /// (popped, not finished): all three 0 once every job is done.</summary>
    public static async Task<(long Queued, long Leased, long Popped)> CountAsync(IDatabase db)
    {
        var keys = RedisKeys.Default;
        var popped = 0L;
        foreach (var worker in await db.SetMembersAsync(keys.Workers))
        {
            popped += await db.ListLengthAsync(keys.Processing(worker.ToString()));
        }
        return (await db.ListLengthAsync(keys.Queue), await db.SortedSetLengthAsync(keys.Leases), popped);
    }

    /// <summary>The records of the jobs, read back: how many completed, and the span from the first start to the
    /// last finish (the records' own started_at and finished_at).</summary>
    public static async Task<(int Completed, int Other, TimeSpan Span)> OutcomeAsync(IDatabase db, IReadOnlyList<string> ids)
    {
        var (completed, other) = (0, 0);
        var first = DateTimeOffset.MaxValue;
        var last = DateTimeOffset.MinValue;
        foreach (var chunk in ids.Chunk(1000))
        {
            var values = await db.StringGetAsync([.. chunk.Select(id => (RedisKey)RedisKeys.Default.Job(id))]);
            foreach (var value in values)
            {
                var record = value.IsNull ? null : JobJson.DeserializeRecord(value.ToString());
                if (record is { Status: JobStatus.Completed, StartedAt: { } started, FinishedAt: { } finished })
                {
                    completed++;
                    first = started < first ? started : first;
                    last = finished > last ? finished : last;
                }
                else
                {
                    other++;
                }
            }
        }
        return (completed, other, completed == 0 ? TimeSpan.Zero : last - first);
    }
}
