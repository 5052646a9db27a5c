using System.Text.Json;
using StackExchange.Redis;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// Job records and the queue in Redis. Submission and completion are Lua scripts so that each is one round trip
/// and atomic: a job is never queued without its record, nor finished without leaving the processing list.
/// </summary>
public sealed class RedisJobStore(IConnectionMultiplexer redis, RedisKeys keys) : IJobStore
{
    // KEYS: active-run guard, job record, queue. ARGV: job id, record JSON.
    // Returns the id of the job that already holds the run id, or nil when this one was queued.
    private const string SubmitScript = """
        local existing = redis.call('GET', KEYS[1])
        if existing then return existing end
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('SET', KEYS[2], ARGV[2])
        redis.call('LPUSH', KEYS[3], ARGV[1])
        return false
        """;

    // KEYS: job record, active-run guard, processing list, dead letter, leases, holders, attempts.
    // ARGV: record JSON, job id, dead-letter JSON or "", lease holder.
    // Fenced: only the worker holding the job's lease finishes it (one that lost it to the reaper writes nothing).
    // Idempotent, so it can be retried after a timeout that hid its success: that success left exactly this record.
    private const string FinishScript = """
        if redis.call('HGET', KEYS[6], ARGV[2]) ~= ARGV[4] then
            if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
            return 0
        end
        if ARGV[3] ~= '' then redis.call('RPUSH', KEYS[4], ARGV[3]) end
        redis.call('SET', KEYS[1], ARGV[1])
        if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
        redis.call('LREM', KEYS[3], 0, ARGV[2])
        redis.call('ZREM', KEYS[5], ARGV[2])
        redis.call('HDEL', KEYS[6], ARGV[2])
        redis.call('HDEL', KEYS[7], ARGV[2])
        return 1
        """;

    // KEYS: active-run guard. ARGV: job id. Returns the job the guard names, claiming it first when it is free.
    private const string ClaimRunScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder then return holder end
        redis.call('SET', KEYS[1], ARGV[1])
        return ARGV[1]
        """;

    // KEYS: job record, holders. ARGV: record JSON, job id, lease holder. Only the lease holder writes a running job's state.
    private const string SaveScript = """
        if redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[3] then return 0 end
        redis.call('SET', KEYS[1], ARGV[1])
        return 1
        """;

    // KEYS: processing list, leases, holders, unleased. ARGV: job id, lease holder. Takes the job off the list and
    // gives up its lease.
    private const string DropScript = """
        redis.call('LREM', KEYS[1], 0, ARGV[1])
        redis.call('ZREM', KEYS[4], ARGV[1])
        if redis.call('HGET', KEYS[3], ARGV[1]) == ARGV[2] then
            redis.call('ZREM', KEYS[2], ARGV[1])
            redis.call('HDEL', KEYS[3], ARGV[1])
        end
        return 1
        """;

    // KEYS: processing list, queue, leases, holders, unleased. ARGV: job id, lease holder. The queue is popped from the right:
    // RPUSH puts it first in line. Its lease, if it got one, is given up: no worker was lost.
    private const string RequeueScript = """
        if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then redis.call('RPUSH', KEYS[2], ARGV[1]) end
        redis.call('ZREM', KEYS[5], ARGV[1])
        if redis.call('HGET', KEYS[4], ARGV[1]) == ARGV[2] then
            redis.call('ZREM', KEYS[3], ARGV[1])
            redis.call('HDEL', KEYS[4], ARGV[1])
        end
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    public Task RequeueAsync(string jobId, JobLease lease) =>
        Db.ScriptEvaluateAsync(RequeueScript, [keys.Processing(lease.WorkerId), keys.Queue, keys.Leases, keys.LeaseHolders, keys.Unleased], [jobId, lease.Holder]);

    public async Task<SubmitOutcome> SubmitAsync(JobRecord queued)
    {
        var result = await Db.ScriptEvaluateAsync(
            SubmitScript,
            [keys.ActiveRun(queued.RunId), keys.Job(queued.JobId), keys.Queue],
            [queued.JobId, JobJson.Serialize(queued)]).ConfigureAwait(false);
        return result.IsNull
            ? new SubmitOutcome.Queued(queued.JobId)
            : new SubmitOutcome.RunIdBusy((string)result!);
    }

    public async Task<string?> GetJsonAsync(string jobId)
    {
        var value = await Db.StringGetAsync(keys.Job(jobId)).ConfigureAwait(false);
        return value.IsNull ? null : (string)value!;
    }

    public async Task<JobRecord?> GetAsync(string jobId)
    {
        var json = await GetJsonAsync(jobId).ConfigureAwait(false);
        return json is null ? null : JobJson.DeserializeRecord(json);
    }

    public async Task<bool> SaveAsync(JobRecord record, JobLease lease) =>
        (long)await Db.ScriptEvaluateAsync(SaveScript, [keys.Job(record.JobId), keys.LeaseHolders],
            [JobJson.Serialize(record), record.JobId, lease.Holder]).ConfigureAwait(false) == 1;

    public Task DropFromProcessingAsync(string jobId, JobLease lease) =>
        Db.ScriptEvaluateAsync(DropScript, [keys.Processing(lease.WorkerId), keys.Leases, keys.LeaseHolders, keys.Unleased], [jobId, lease.Holder]);

    public async Task<bool> FinishAsync(JobRecord terminal, DeadLetterEntry? deadLetter, JobLease lease)
    {
        var deadLetterJson = deadLetter is null ? "" : JsonSerializer.Serialize(deadLetter, JobJson.Default.DeadLetterEntry);
        return (long)await Db.ScriptEvaluateAsync(
            FinishScript,
            [keys.Job(terminal.JobId), keys.ActiveRun(terminal.RunId), keys.Processing(lease.WorkerId), keys.DeadLetter, keys.Leases, keys.LeaseHolders, keys.Attempts],
            [JobJson.Serialize(terminal), terminal.JobId, deadLetterJson, lease.Holder]).ConfigureAwait(false) == 1;
    }

    public async Task<string> ClaimRunAsync(string runId, string jobId) =>
        (await Db.ScriptEvaluateAsync(ClaimRunScript, [keys.ActiveRun(runId)], [jobId]).ConfigureAwait(false)).ToString();
}
