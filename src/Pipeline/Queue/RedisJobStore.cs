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

    // KEYS: job record, active-run guard, processing list, dead letter. ARGV: record JSON, job id, dead-letter JSON or "".
    // Idempotent, so it can be retried after a timeout that hid its success: a job whose stored record already says
    // failed has had its dead letter.
    private const string FinishScript = """
        if ARGV[3] ~= '' then
            local current = redis.call('GET', KEYS[1])
            local ok, stored = pcall(cjson.decode, current or '{}')
            if not (ok and type(stored) == 'table' and stored['status'] == 'failed') then redis.call('RPUSH', KEYS[4], ARGV[3]) end
        end
        redis.call('SET', KEYS[1], ARGV[1])
        if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
        redis.call('LREM', KEYS[3], 0, ARGV[2])
        return 1
        """;

    // KEYS: processing list, queue. ARGV: job id. The queue is popped from the right: RPUSH puts it first in line.
    private const string RequeueScript = """
        if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then redis.call('RPUSH', KEYS[2], ARGV[1]) end
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    public Task RequeueAsync(string jobId, string workerId) =>
        Db.ScriptEvaluateAsync(RequeueScript, [keys.Processing(workerId), keys.Queue], [jobId]);

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

    public Task SaveAsync(JobRecord record) =>
        Db.StringSetAsync(keys.Job(record.JobId), JobJson.Serialize(record));

    public Task DropFromProcessingAsync(string jobId, string workerId) =>
        Db.ListRemoveAsync(keys.Processing(workerId), jobId);

    public Task FinishAsync(JobRecord terminal, DeadLetterEntry? deadLetter, string workerId)
    {
        var deadLetterJson = deadLetter is null ? "" : JsonSerializer.Serialize(deadLetter, JobJson.Default.DeadLetterEntry);
        return Db.ScriptEvaluateAsync(
            FinishScript,
            [keys.Job(terminal.JobId), keys.ActiveRun(terminal.RunId), keys.Processing(workerId), keys.DeadLetter],
            [JobJson.Serialize(terminal), terminal.JobId, deadLetterJson]);
    }
}
