using StackExchange.Redis;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// The outbox of outcomes whose webhook is still to deliver (<see cref="RedisKeys.Outbox"/>). An outcome is put in it by
/// the same script that writes the terminal state, so it can never be lost between the two. Any worker takes due
/// entries: taking one pushes its due time past a delivery's length, so no two workers send it at once, and one that
/// dies while sending leaves it due again soon after.
/// </summary>
public sealed class WebhookOutbox(IConnectionMultiplexer redis, RedisKeys keys)
{
    // KEYS: outbox. ARGV: how many, claim ms. Returns the due job ids, each now due again only after the claim.
    private const string ClaimScript = JobLeases.NowMs + """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
        for _, job in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), job) end
        return due
        """;

    // KEYS: outbox, job record. ARGV: job id, due in ms ("" when done), the record as read, the record with its
    // webhook state. Only if nothing else wrote the record meanwhile: a newer outcome (a retry that ended again) keeps
    // its entry, which the next claim reads afresh.
    private const string SettleScript = JobLeases.NowMs + """
        if redis.call('GET', KEYS[2]) ~= ARGV[3] then return 0 end
        if ARGV[2] == '' then redis.call('ZREM', KEYS[1], ARGV[1])
        else redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1]) end
        redis.call('SET', KEYS[2], ARGV[4], 'KEEPTTL')
        return 1
        """;

    // KEYS: outbox, job record. ARGV: job id. Drops the entry only while the record is gone or not finished.
    private const string DropScript = """
        local stored = redis.call('GET', KEYS[2])
        if stored then
          local ok, record = pcall(cjson.decode, stored)
          if ok and type(record) == 'table' and (record['status'] == 'completed' or record['status'] == 'failed' or record['status'] == 'cancelled') then
            return 0
          end
        end
        return redis.call('ZREM', KEYS[1], ARGV[1])
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<IReadOnlyList<string>> ClaimDueAsync(int count, TimeSpan claimFor) =>
        [.. ((RedisResult[])(await Db.ScriptEvaluateAsync(ClaimScript, [keys.Outbox], [count, (long)claimFor.TotalMilliseconds]).ConfigureAwait(false))!)
            .Select(r => r.ToString())];

    /// <summary>Delivered or given up: out of the outbox, its state in the record.</summary>
    public Task DoneAsync(string jobId, string readJson, JobRecord updated) => SettleAsync(jobId, null, readJson, updated);

    /// <summary>Not yet: due again after <paramref name="wait"/>, its state in the record.</summary>
    public Task LaterAsync(string jobId, TimeSpan wait, string readJson, JobRecord updated) => SettleAsync(jobId, wait, readJson, updated);

    /// <summary>Nothing to deliver any more (the job was retried, or its record is gone).</summary>
    public Task DropAsync(string jobId) => Db.ScriptEvaluateAsync(DropScript, [keys.Outbox, keys.Job(jobId)], [jobId]);

    private Task SettleAsync(string jobId, TimeSpan? wait, string readJson, JobRecord updated) =>
        Db.ScriptEvaluateAsync(SettleScript, [keys.Outbox, keys.Job(jobId)],
            [jobId, wait is null ? "" : (long)wait.Value.TotalMilliseconds, readJson, JobJson.Serialize(updated)]);
}
