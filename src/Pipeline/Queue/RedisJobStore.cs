using System.Text.Json;
using StackExchange.Redis;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// Job records and the queue in Redis. Submission and completion are Lua scripts so that each is one round trip
/// and atomic: a job is never queued without its record, nor finished without leaving the processing list.
/// </summary>
/// <param name="outbox">Webhooks are configured: every terminal write also puts the outcome in the outbox.</param>
/// <param name="retention">How long finished records, journals and guards stay, and how long the dead letter grows.</param>
public sealed class RedisJobStore(IConnectionMultiplexer redis, RedisKeys keys, bool outbox = false, Retention? retention = null) : IJobStore
{
    private readonly Retention _retention = retention ?? Retention.Default;

    private string OutboxFlag => outbox ? "1" : "";

    // KEYS: active-run guard, job record, queue, job index, updates. ARGV: job id, record JSON, most jobs waiting (0: no limit),
    // guard ttl ms, created at (unix microseconds: two submissions never share one). Every script that writes a job's
    // state also appends its update to the updates stream (the last KEY and ARGV).
    // Returns the id of the job that already holds the run id, "queue-full", or nil when this one was queued.
    private const string SubmitScript = JobFeed.Lua + """
        local limit = tonumber(ARGV[3])
        if limit > 0 and redis.call('LLEN', KEYS[3]) >= limit then return 'queue-full' end
        local existing = redis.call('GET', KEYS[1])
        if existing then return existing end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
        redis.call('SET', KEYS[2], ARGV[2])
        redis.call('LPUSH', KEYS[3], ARGV[1])
        redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. (tonumber(ARGV[5]) - tonumber(ARGV[4]) * 1000))
        feed(KEYS[5], ARGV[1], ARGV[6])
        return false
        """;

    // KEYS: job record, active-run guard, processing list, dead letter, leases, holders, attempts, cancel request, outbox,
    // journal, journal's highest sequence number, live progress, updates. ARGV: record JSON, job id, dead-letter JSON or "", lease holder, "1"
    // to put the outcome in the outbox, retention ms, dead-letter cap, "delete" or "expire" for the journal, the update.
    // A completed job's journal is deleted (it will never run again); a failed or cancelled one's expires with its
    // record, kept until then for a retry to resume from.
    // Fenced: only the worker holding the job's lease finishes it (one that lost it to the reaper writes nothing).
    // Idempotent, so it can be retried after a timeout that hid its success: that success left exactly this record.
    private const string FinishScript = JobLeases.NowMs + JobFeed.Lua + """
        if redis.call('HGET', KEYS[6], ARGV[2]) ~= ARGV[4] then
            -- Written already? The outbox may have appended "webhook" (the record's last field) since: compare all but
            -- the closing brace.
            local stored = redis.call('GET', KEYS[1]) or ''
            if string.sub(stored, 1, #ARGV[1] - 1) == string.sub(ARGV[1], 1, #ARGV[1] - 1) then return 1 end
            return 0
        end
        if ARGV[3] ~= '' then
          redis.call('RPUSH', KEYS[4], ARGV[3])
          redis.call('LTRIM', KEYS[4], -tonumber(ARGV[7]), -1)
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[6])
        if ARGV[8] == 'delete' then
          redis.call('DEL', KEYS[10], KEYS[11])
        else
          redis.call('PEXPIRE', KEYS[10], ARGV[6])
          redis.call('PEXPIRE', KEYS[11], ARGV[6])
        end
        if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
        redis.call('LREM', KEYS[3], 0, ARGV[2])
        redis.call('ZREM', KEYS[5], ARGV[2])
        redis.call('HDEL', KEYS[6], ARGV[2])
        redis.call('HDEL', KEYS[7], ARGV[2])
        redis.call('DEL', KEYS[8], KEYS[12])
        if ARGV[5] == '1' then
          redis.call('ZADD', KEYS[9], now, ARGV[2])
        end
        feed(KEYS[13], ARGV[2], ARGV[9])
        return 1
        """;

    // KEYS: active-run guard. ARGV: job id, guard ttl ms. Returns the job the guard names, claiming it first when free;
    // its own guard's time starts again as the job starts (time spent queued does not count).
    private const string ClaimRunScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        if holder then return holder end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return ARGV[1]
        """;

    // KEYS: processing list, leases, holders, unleased, cancel request, job record. ARGV: job id, holder, lease ms, the
    // run-id guard's key prefix, guard ttl ms. A job's start in one round trip: its lease, its record, whether a cancel
    // was asked for, and (for a job that is to run: not finished, not cancelled) its run id's guard, as ClaimRunScript
    // does. The run id and status are read from the record's leading fields, which this service writes first
    // ({"job_id":..,"run_id":..,"status":..}): never a decode of a payload of up to 1 MiB inside Redis. A record written
    // otherwise leaves the claim to ClaimRunAsync. The guard's key is made from the run id (one Redis, as the renewal's
    // cancel keys). Returns 0 or 2 when the job is not to run here, else
    // { 1, cancel requested (0/1), the record or false, the guard's holder or false, the run id claimed or false }.
    private const string LeaseScript = JobLeases.AcquireLua + """
        local record = redis.call('GET', KEYS[6])
        local cancel = redis.call('EXISTS', KEYS[5])
        local holder, run = false, false
        if record and cancel == 0 then
          local id, status = string.match(record, '^{"job_id":"[^"]*","run_id":"([%w._-]+)","status":"(%a+)"')
          if id and status ~= 'completed' and status ~= 'failed' and status ~= 'cancelled' then
            run = id
            local guard = ARGV[4] .. id
            holder = redis.call('GET', guard)
            if holder == ARGV[1] then redis.call('PEXPIRE', guard, ARGV[5]) end
            if not holder then
              redis.call('SET', guard, ARGV[1], 'PX', ARGV[5])
              holder = ARGV[1]
            end
          end
        end
        return { 1, cancel, record or false, holder, run }
        """;

    // KEYS: job record, holders, progress, updates. ARGV: record JSON, job id, lease holder, the update. Only the lease holder writes a running
    // job's state; the live progress of an earlier run of the job starts again with the record.
    private const string SaveScript = JobFeed.Lua + """
        if redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[3] then return 0 end
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('DEL', KEYS[3])
        feed(KEYS[4], ARGV[2], ARGV[4])
        return 1
        """;

    // KEYS: progress, holders, updates. ARGV: job id, lease holder, stage, progress, ttl ms, the update. Only the lease
    // holder reports.
    private const string ProgressScript = JobFeed.Lua + """
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HSET', KEYS[1], 'stage', ARGV[3], 'progress', ARGV[4])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        feed(KEYS[3], ARGV[1], ARGV[6])
        return 1
        """;

    // KEYS: job record, progress. Both at once, so a record and its progress are never of two different runs.
    private const string ReadWithProgressScript = """
        return { redis.call('GET', KEYS[1]), redis.call('HMGET', KEYS[2], 'stage', 'progress') }
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

    // KEYS: job record, queue, active-run guard, outbox, journal, journal's highest, updates. ARGV: the record as read, the
    // cancelled record, job id, "1" to put the outcome in the outbox, retention ms. Only a job still queued as it was
    // read: one popped meanwhile is cancelled by its worker instead.
    private const string CancelQueuedScript = JobLeases.NowMs + JobFeed.Lua + """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        if redis.call('LREM', KEYS[2], 0, ARGV[3]) == 0 then return 0 end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[5])
        redis.call('PEXPIRE', KEYS[5], ARGV[5])
        redis.call('PEXPIRE', KEYS[6], ARGV[5])
        if redis.call('GET', KEYS[3]) == ARGV[3] then redis.call('DEL', KEYS[3]) end
        if ARGV[4] == '1' then
          redis.call('ZADD', KEYS[4], now, ARGV[3])
        end
        feed(KEYS[7], ARGV[3], ARGV[6])
        return 1
        """;

    // KEYS: job record, queue, active-run guard, dead letter, cancel request, attempts, journal, journal's highest, updates. ARGV:
    // the record as read, the queued record, job id, guard ttl ms, the job's dead-letter entry as written (or ""), most
    // jobs waiting (0: no limit), the update.
    // Returns "queued", "queue-full", "changed" (the record moved on
    // meanwhile), or the id of the job that holds the run id now. The record and journal no longer expire.
    private const string RetryScript = JobFeed.Lua + """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'changed' end
        local limit = tonumber(ARGV[6])
        if limit > 0 and redis.call('LLEN', KEYS[2]) >= limit then return 'queue-full' end
        local holder = redis.call('GET', KEYS[3])
        if holder and holder ~= ARGV[3] then return holder end
        redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
        redis.call('SET', KEYS[1], ARGV[2])
        redis.call('PERSIST', KEYS[7])
        redis.call('PERSIST', KEYS[8])
        redis.call('LPUSH', KEYS[2], ARGV[3])
        if ARGV[5] ~= '' then redis.call('LREM', KEYS[4], 0, ARGV[5]) end
        redis.call('DEL', KEYS[5])
        redis.call('HDEL', KEYS[6], ARGV[3])
        feed(KEYS[9], ARGV[3], ARGV[7])
        return 'queued'
        """;

    private IDatabase Db => redis.GetDatabase();

    public Task RequeueAsync(string jobId, JobLease lease) =>
        Db.ScriptEvaluateAsync(RequeueScript, [keys.Processing(lease.WorkerId), keys.Queue, keys.Leases, keys.LeaseHolders, keys.Unleased], [jobId, lease.Holder]);

    public async Task<SubmitOutcome> SubmitAsync(JobRecord queued, int maxQueueLength = 0)
    {
        var result = await Db.ScriptEvaluateAsync(
            SubmitScript,
            [keys.ActiveRun(queued.RunId), keys.Job(queued.JobId), keys.Queue, keys.Jobs, keys.Updates],
            // The record as UTF-8 bytes: Redis stores bytes, and a UTF-16 string would be encoded again on the wire.
            [queued.JobId, JsonSerializer.SerializeToUtf8Bytes(queued, JobJson.Default.JobRecord), maxQueueLength, _retention.RecordsMs, (queued.CreatedAt - DateTimeOffset.UnixEpoch).Ticks / 10,
                JobUpdate.Of(queued).ToJson()]).ConfigureAwait(false);
        return result.IsNull ? new SubmitOutcome.Queued(queued.JobId)
            : (string)result! == "queue-full" ? new SubmitOutcome.QueueFull()
            : new SubmitOutcome.RunIdBusy((string)result!);
    }

    public Task<long> QueueLengthAsync() => Db.ListLengthAsync(keys.Queue);

    public async Task<JobPage> ListAsync(JobStatus? status, int limit, JobCursor? after)
    {
        var page = await ListStoredAsync(status, limit, after).ConfigureAwait(false);
        var running = page.Jobs.Where(r => r.Status == JobStatus.Running).ToArray();
        if (running.Length == 0)
        {
            return page;
        }
        var batch = Db.CreateBatch();
        var reads = running.Select(r => batch.HashGetAsync(keys.Progress(r.JobId), JobProgressMerge.Fields)).ToArray();
        batch.Execute();
        var live = new Dictionary<string, JobRecord>();
        for (var i = 0; i < running.Length; i++)
        {
            live[running[i].JobId] = JobProgressMerge.Apply(running[i], await reads[i].ConfigureAwait(false));
        }
        return page with { Jobs = [.. page.Jobs.Select(r => live.GetValueOrDefault(r.JobId, r))] };
    }

    private async Task<JobPage> ListStoredAsync(JobStatus? status, int limit, JobCursor? after)
    {
        // Newest first, from the cursor on. With a status filter a few index pages may be read for one page of
        // answers (ten at most; the cursor then says where to go on).
        const int Ties = 16;
        var found = new List<JobRecord>();
        var cursor = after;
        for (var round = 0; round < 10; round++)
        {
            var take = limit * 2 + Ties;
            var batch = await Db.SortedSetRangeByScoreWithScoresAsync(keys.Jobs, double.NegativeInfinity, cursor?.Created ?? double.PositiveInfinity,
                Exclude.None, Order.Descending, 0, take).ConfigureAwait(false);
            // Ties (on one microsecond) come in reverse ordinal order: those at or above the cursor's id were given already.
            var fresh = batch.Where(e => cursor is null || e.Score < cursor.Created || string.CompareOrdinal(e.Element.ToString(), cursor.JobId) < 0).ToArray();
            if (fresh.Length == 0)
            {
                return new JobPage(found, null);
            }
            var values = await Db.StringGetAsync([.. fresh.Select(e => (RedisKey)keys.Job(e.Element.ToString()))]).ConfigureAwait(false);
            for (var i = 0; i < fresh.Length; i++)
            {
                cursor = new JobCursor((long)fresh[i].Score, fresh[i].Element.ToString());
                if (values[i].IsNull)
                {
                    await Db.SortedSetRemoveAsync(keys.Jobs, fresh[i].Element).ConfigureAwait(false); // its record expired
                }
                // A record this service did not write is left out of the list rather than failing it.
                else if (JobJson.TryDeserialize(values[i].ToString(), JobJson.Default.JobRecord) is { } record && (status is null || record.Status == status))
                {
                    found.Add(record);
                    if (found.Count == limit)
                    {
                        return new JobPage(found, cursor);
                    }
                }
            }
            if (batch.Length < take)
            {
                return new JobPage(found, null); // the index is exhausted
            }
        }
        return new JobPage(found, cursor);
    }

    public async Task<DeadLetterPage> DeadLetterAsync(int limit, int offset)
    {
        // RPUSHed: the newest is last. Read from the end.
        var entries = await Db.ListRangeAsync(keys.DeadLetter, -(offset + limit), -(offset + 1)).ConfigureAwait(false);
        var total = await Db.ListLengthAsync(keys.DeadLetter).ConfigureAwait(false);
        // An entry this service did not write is left out of the page rather than failing it.
        var page = entries.Reverse().Select(e => JobJson.TryDeserialize(e.ToString(), JobJson.Default.DeadLetterEntry)).OfType<DeadLetterEntry>().ToArray();
        return new DeadLetterPage(page, offset + limit < total ? offset + limit : null, total);
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
        (long)await Db.ScriptEvaluateAsync(SaveScript, [keys.Job(record.JobId), keys.LeaseHolders, keys.Progress(record.JobId), keys.Updates],
            [JobJson.Serialize(record), record.JobId, lease.Holder, JobUpdate.Of(record).ToJson()]).ConfigureAwait(false) == 1;

    public async Task<bool> SaveProgressAsync(JobRecord running, JobLease lease) =>
        (long)await Db.ScriptEvaluateAsync(ProgressScript, [keys.Progress(running.JobId), keys.LeaseHolders, keys.Updates],
            [running.JobId, lease.Holder, running.Stage, running.Progress.ToString("R", System.Globalization.CultureInfo.InvariantCulture), _retention.RecordsMs,
                JobUpdate.Of(running).ToJson()]).ConfigureAwait(false) == 1;

    public async Task<byte[]?> GetLiveJsonAsync(string jobId)
    {
        var read = (RedisResult[])(await Db.ScriptEvaluateAsync(ReadWithProgressScript, [keys.Job(jobId), keys.Progress(jobId)]).ConfigureAwait(false))!;
        if (read[0].IsNull)
        {
            return null;
        }
        return JobProgressMerge.Apply((byte[])read[0]!, (RedisValue[])read[1]!);
    }

    public Task DropFromProcessingAsync(string jobId, JobLease lease) =>
        Db.ScriptEvaluateAsync(DropScript, [keys.Processing(lease.WorkerId), keys.Leases, keys.LeaseHolders, keys.Unleased], [jobId, lease.Holder]);

    public async Task<bool> FinishAsync(JobRecord terminal, DeadLetterEntry? deadLetter, JobLease lease)
    {
        var deadLetterJson = deadLetter is null ? "" : JsonSerializer.Serialize(deadLetter, JobJson.Default.DeadLetterEntry);
        return (long)await Db.ScriptEvaluateAsync(
            FinishScript,
            [keys.Job(terminal.JobId), keys.ActiveRun(terminal.RunId), keys.Processing(lease.WorkerId), keys.DeadLetter, keys.Leases, keys.LeaseHolders, keys.Attempts,
                keys.CancelRequested(terminal.JobId), keys.Outbox, keys.Journal(terminal.JobId), keys.JournalHighest(terminal.JobId), keys.Progress(terminal.JobId),
                keys.Updates],
            [JobJson.Serialize(terminal), terminal.JobId, deadLetterJson, lease.Holder, OutboxFlag, _retention.RecordsMs, _retention.DeadLetter,
                terminal.Status == JobStatus.Completed && !_retention.KeepCompletedJournals ? "delete" : "expire", JobUpdate.Of(terminal).ToJson()]).ConfigureAwait(false) == 1;
    }

    public async Task<bool> CancelQueuedAsync(string readJson, JobRecord cancelled) =>
        (long)await Db.ScriptEvaluateAsync(CancelQueuedScript,
            [keys.Job(cancelled.JobId), keys.Queue, keys.ActiveRun(cancelled.RunId), keys.Outbox, keys.Journal(cancelled.JobId), keys.JournalHighest(cancelled.JobId),
                keys.Updates],
            [readJson, JobJson.Serialize(cancelled), cancelled.JobId, OutboxFlag, _retention.RecordsMs, JobUpdate.Of(cancelled).ToJson()]).ConfigureAwait(false) == 1;

    public async Task RequestCancelAsync(string jobId)
    {
        // Kept a week at most: a job that never runs again must not leave it behind for ever.
        await Db.StringSetAsync(keys.CancelRequested(jobId), "1", TimeSpan.FromDays(7)).ConfigureAwait(false);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(keys.CancelChannel), jobId).ConfigureAwait(false);
    }

    public async Task<bool> IsCancelRequestedAsync(string jobId) =>
        await Db.KeyExistsAsync(keys.CancelRequested(jobId)).ConfigureAwait(false);

    public async Task<RetryOutcome> RetryAsync(string readJson, JobRecord queued, int maxQueueLength = 0)
    {
        // Every writer of a failure writes the same error into the record and the dead letter, so the entry is known
        // exactly: one LREM, not a scan of the whole dead letter inside a script.
        var read = JobJson.DeserializeRecord(readJson);
        var deadLetterJson = read is { Status: JobStatus.Failed, Error: { } error }
            ? JsonSerializer.Serialize(new DeadLetterEntry(read.JobId, read.Payload, error), JobJson.Default.DeadLetterEntry)
            : "";
        var result = (await Db.ScriptEvaluateAsync(RetryScript,
            [keys.Job(queued.JobId), keys.Queue, keys.ActiveRun(queued.RunId), keys.DeadLetter, keys.CancelRequested(queued.JobId), keys.Attempts,
                keys.Journal(queued.JobId), keys.JournalHighest(queued.JobId), keys.Updates],
            [readJson, JobJson.Serialize(queued), queued.JobId, _retention.RecordsMs, deadLetterJson, maxQueueLength, JobUpdate.Of(queued).ToJson()]).ConfigureAwait(false)).ToString();
        return result switch
        {
            "queued" => new RetryOutcome.Queued(),
            "changed" => new RetryOutcome.Changed(),
            "queue-full" => new RetryOutcome.QueueFull(),
            _ => new RetryOutcome.RunIdBusy(result),
        };
    }

    public async Task<LeasedJob> LeaseAsync(string jobId, JobLease lease, TimeSpan leaseFor)
    {
        var result = await Db.ScriptEvaluateAsync(LeaseScript,
            [keys.Processing(lease.WorkerId), keys.Leases, keys.LeaseHolders, keys.Unleased, keys.CancelRequested(jobId), keys.Job(jobId)],
            [jobId, lease.Holder, (long)leaseFor.TotalMilliseconds, keys.ActiveRun(""), _retention.RecordsMs]).ConfigureAwait(false);
        // The lease part answers a bare 0 or 2 when the job is not to run here; a leased job gets the array.
        if (result.Resp2Type != ResultType.Array)
        {
            return new LeasedJob(LeaseOutcomes.Of((long)result), null, false, null, null);
        }
        var answer = (RedisResult[])result!;
        return new LeasedJob(LeaseOutcomes.Of((long)answer[0]), answer[2].IsNull ? null : (string?)answer[2], (long)answer[1] == 1,
            answer[3].IsNull ? null : (string?)answer[3], answer[4].IsNull ? null : (string?)answer[4]);
    }

    public async Task<string> ClaimRunAsync(string runId, string jobId) =>
        (await Db.ScriptEvaluateAsync(ClaimRunScript, [keys.ActiveRun(runId)], [jobId, _retention.RecordsMs]).ConfigureAwait(false)).ToString();
}
