using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Queue;

/// <summary>Where job records live and how a job enters the queue. The HTTP API and the worker both use it.</summary>
public interface IJobStore
{
    /// <summary>Stores the queued record and pushes its id on the queue, in one atomic step, unless its run id
    /// already has a queued or running job.</summary>
    Task<SubmitOutcome> SubmitAsync(JobRecord queued);

    /// <summary>The record as stored (JSON), or null for an unknown job.</summary>
    Task<string?> GetJsonAsync(string jobId);

    Task<JobRecord?> GetAsync(string jobId);

    /// <summary>Writes a non-terminal state of a running job, if the lease is still the one its holder took.</summary>
    /// <returns>false when another worker (or the reaper) has the job now: nothing was written.</returns>
    Task<bool> SaveAsync(JobRecord record, JobLease lease);

    /// <summary>Writes the terminal record, the dead-letter entry for a failure, frees the run id, removes the job
    /// from the worker's processing list and ends its lease, atomically: after this the job is done, and not before.
    /// Only the worker holding the job's lease can do it; a retry after a success that went unanswered succeeds.</summary>
    /// <returns>false when this worker no longer holds the job: nothing was written.</returns>
    Task<bool> FinishAsync(JobRecord terminal, DeadLetterEntry? deadLetter, JobLease lease);

    /// <summary>The job id the run id's guard names; a free guard (a job queued by another producer, straight into
    /// Redis) is claimed for <paramref name="jobId"/> first.</summary>
    Task<string> ClaimRunAsync(string runId, string jobId);

    /// <summary>Takes a job off the worker's processing list and gives up its lease, changing nothing else: for a job
    /// popped again whose record is already terminal (pushed twice, or taken back after its finish was written).</summary>
    Task DropFromProcessingAsync(string jobId, JobLease lease);

    /// <summary>Moves a job from the worker's processing list back to the head of the queue (it is taken next),
    /// atomically, changing nothing else: for a job that could not start because Redis did not answer.</summary>
    Task RequeueAsync(string jobId, JobLease lease);
}
