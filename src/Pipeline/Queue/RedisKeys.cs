namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// The Redis key names. The queue, job and dead-letter names are the seed's contract
/// (<c>video_orchestrator:queue</c>, <c>video_orchestrator:job:{job_id}</c>, <c>video_orchestrator:dead_letter</c>);
/// the processing list and the run-id guard are ours. Only the prefix is configurable.
/// </summary>
public sealed record RedisKeys(string Prefix)
{
    public const string DefaultPrefix = "video_orchestrator";

    public static RedisKeys Default { get; } = new(DefaultPrefix);

    /// <summary>Producers LPUSH here, the worker pops from the right: FIFO.</summary>
    public string Queue => $"{Prefix}:queue";

    public string DeadLetter => $"{Prefix}:dead_letter";

    public string Job(string jobId) => $"{Prefix}:job:{jobId}";

    /// <summary>A running job's live stage and progress (a small hash), merged into its record when it is read: progress
    /// is reported twice a second and must not rewrite a record that carries a payload of up to 1 MiB.</summary>
    public string Progress(string jobId) => $"{Prefix}:progress:{jobId}";

    /// <summary>A stream of every change of every job's state (<see cref="Jobs.JobUpdate"/>), appended by the script that
    /// writes it and capped at about <see cref="JobFeed.Cap"/> entries: what live subscribers read, and resume from.</summary>
    public string Updates => $"{Prefix}:updates";

    /// <summary>Jobs a worker has taken and not yet finished: a popped job is never only in memory.</summary>
    public string Processing(string workerId) => $"{Prefix}:processing:{workerId}";

    /// <summary>Claimed by the live worker that uses this id (see <see cref="WorkerLease"/>).</summary>
    public string Worker(string workerId) => $"{Prefix}:worker:{workerId}";

    /// <summary>Holds the job id of the queued or running job of a run id, so a second submission is refused.</summary>
    public string ActiveRun(string runId) => $"{Prefix}:run:{runId}";

    /// <summary>Sorted set: each running job's lease, scored by the Redis time (ms) it expires at unless renewed.</summary>
    public string Leases => $"{Prefix}:leases";

    /// <summary>Hash: job id to the worker id that holds its lease. Writes of a job's state are fenced on it.</summary>
    public string LeaseHolders => $"{Prefix}:lease_holders";

    /// <summary>Hash: job id to how many times a worker was lost while running it (see <see cref="LeaseReaper"/>).</summary>
    public string Attempts => $"{Prefix}:attempts";

    /// <summary>Set: the worker ids that may have a processing list, so the reaper finds every list.</summary>
    public string Workers => $"{Prefix}:workers";

    /// <summary>Set while a cancel asked for a running job has not been carried out: the worker running it (or the one
    /// that pops it next) finds it even if it missed the message on <see cref="CancelChannel"/>.</summary>
    public string CancelRequested(string jobId) => $"{Prefix}:cancel:{jobId}";

    /// <summary>Sorted set: every job id by its creation time (unix microseconds), for listing jobs newest first; trimmed to the
    /// retention of records, and of ids whose record has expired as they are met.</summary>
    public string Jobs => $"{Prefix}:jobs";

    /// <summary>The job's event journal (Akka.Persistence, persistence id job-{job_id}, under the same prefix): retention
    /// deletes or expires it with the job's outcome.</summary>
    public string Journal(string jobId) => $"{Prefix}:journal:persisted:job-{jobId}";

    public string JournalHighest(string jobId) => Journal(jobId) + ":highestSequenceNr";

    /// <summary>Sorted set: jobs whose outcome's webhook is still to deliver, scored by when (Redis ms) it is next due.
    /// Written in the same script as the terminal state; any worker delivers from it.</summary>
    public string Outbox => $"{Prefix}:outbox";

    /// <summary>Pub/sub channel: the ids of jobs to cancel, heard by every worker at once.</summary>
    public string CancelChannel => $"{Prefix}:cancel";

    /// <summary>Sorted set: jobs seen in a live worker's processing list without a lease, scored by when the reaper
    /// first saw them (a pop whose reply was lost never gets a lease).</summary>
    public string Unleased => $"{Prefix}:unleased";
}
