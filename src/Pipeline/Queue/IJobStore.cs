using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Queue;

/// <summary>Where job records live and how a job enters the queue. The HTTP API and the worker both use it.</summary>
public interface IJobStore
{
    /// <summary>Stores the queued record and pushes its id on the queue, in one atomic step, unless its run id
    /// already has a queued or running job.</summary>
    /// <param name="maxQueueLength">Refuse (nothing written) when this many jobs wait already; 0: no limit.</param>
    Task<SubmitOutcome> SubmitAsync(JobRecord queued, int maxQueueLength = 0);

    /// <summary>How many jobs wait in the queue.</summary>
    Task<long> QueueLengthAsync();

    /// <summary>Jobs newest first (optionally of one status), <paramref name="limit"/> at most, after a cursor.</summary>
    Task<JobPage> ListAsync(JobStatus? status, int limit, JobCursor? after);

    /// <summary>Dead-letter entries newest first, from <paramref name="offset"/>.</summary>
    Task<DeadLetterPage> DeadLetterAsync(int limit, int offset);

    /// <summary>The record as stored (JSON), or null for an unknown job.</summary>
    Task<string?> GetJsonAsync(string jobId);

    Task<JobRecord?> GetAsync(string jobId);

    /// <summary>The record as a reader should see it: a running job's live stage and progress merged in (they are kept
    /// apart from the record, see <see cref="RedisKeys.Progress"/>). UTF-8, as Redis holds it: GET /orchestrate/status
    /// sends it on without decoding it.</summary>
    Task<byte[]?> GetLiveJsonAsync(string jobId);

    /// <summary>A running job's stage and progress (of <paramref name="running"/>), written only while
    /// <paramref name="lease"/> holds it; the rest of the record is not written.</summary>
    /// <returns>False when the lease is held elsewhere.</returns>
    Task<bool> SaveProgressAsync(JobRecord running, JobLease lease);

    /// <summary>Writes a non-terminal state of a running job, if the lease is still the one its holder took.</summary>
    /// <returns>false when another worker (or the reaper) has the job now: nothing was written.</returns>
    Task<bool> SaveAsync(JobRecord record, JobLease lease);

    /// <summary>Writes the terminal record, the dead-letter entry for a failure, frees the run id, removes the job
    /// from the worker's processing list and ends its lease, atomically: after this the job is done, and not before.
    /// Only the worker holding the job's lease can do it; a retry after a success that went unanswered succeeds.</summary>
    /// <returns>false when this worker no longer holds the job: nothing was written.</returns>
    Task<bool> FinishAsync(JobRecord terminal, DeadLetterEntry? deadLetter, JobLease lease);

    /// <summary>Leases a job just popped into its worker's processing list (<paramref name="lease"/> names the
    /// worker) and, in the same atomic step, reads its record, whether a cancel was asked for, and claims its run id as
    /// <see cref="ClaimRunAsync"/> does (only for a job that is to run): one round trip where a start took three.</summary>
    Task<LeasedJob> LeaseAsync(string jobId, JobLease lease, TimeSpan leaseFor);

    /// <summary>The job id the run id's guard names; a free guard (a job queued by another producer, straight into
    /// Redis) is claimed for <paramref name="jobId"/> first.</summary>
    Task<string> ClaimRunAsync(string runId, string jobId);

    /// <summary>Takes a job off the worker's processing list and gives up its lease, changing nothing else: for a job
    /// popped again whose record is already terminal (pushed twice, or taken back after its finish was written).</summary>
    Task DropFromProcessingAsync(string jobId, JobLease lease);

    /// <summary>Moves a job from the worker's processing list back to the head of the queue (it is taken next),
    /// atomically, changing nothing else: for a job that could not start because Redis did not answer.</summary>
    Task RequeueAsync(string jobId, JobLease lease);

    /// <summary>Cancels a queued job: takes it off the queue and writes <paramref name="cancelled"/>, freeing its
    /// run id, only if its record is still <paramref name="readJson"/> and it is still in the queue.</summary>
    /// <returns>false when it was popped or changed meanwhile.</returns>
    Task<bool> CancelQueuedAsync(string readJson, JobRecord cancelled);

    /// <summary>Asks whichever worker runs the job (now or when it pops it) to cancel it.</summary>
    Task RequestCancelAsync(string jobId);

    Task<bool> IsCancelRequestedAsync(string jobId);

    /// <summary>Queues a failed or cancelled job again under its id, if its record is still <paramref name="readJson"/>
    /// and its run id is free: the record becomes <paramref name="queued"/>, its dead-letter entries and attempts go.</summary>
    /// <param name="maxQueueLength">Refused (<see cref="RetryOutcome.QueueFull"/>) when this many jobs wait; 0: no limit.</param>
    Task<RetryOutcome> RetryAsync(string readJson, JobRecord queued, int maxQueueLength = 0);
}

/// <summary>What asking for a retry did.</summary>
public abstract record RetryOutcome
{
    public sealed record Queued : RetryOutcome;

    /// <summary>The record moved on between the read and the retry: read it again.</summary>
    public sealed record Changed : RetryOutcome;

    public sealed record RunIdBusy(string ExistingJobId) : RetryOutcome;

    /// <summary>videoakka.api.max-queue-length jobs wait already: a retry is admitted like a submission.</summary>
    public sealed record QueueFull : RetryOutcome;
}

/// <summary>Where a page of jobs ended: the creation time (unix microseconds) and id of its last job.</summary>
public sealed record JobCursor(long Created, string JobId)
{
    public override string ToString() => $"{Created}.{JobId}";

    public static JobCursor? Parse(string? text)
    {
        var dot = (text ?? "").IndexOf('.');
        return dot > 0 && long.TryParse(text![..dot], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            && Guid.TryParseExact(text[(dot + 1)..], "D", out _)
            ? new JobCursor(ms, text[(dot + 1)..])
            : null;
    }
}

public sealed record JobPage(IReadOnlyList<JobRecord> Jobs, JobCursor? Next);

public sealed record DeadLetterPage(IReadOnlyList<DeadLetterEntry> Entries, int? NextOffset, long Total);
