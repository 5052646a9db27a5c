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

    /// <summary>Writes a non-terminal state of a running job.</summary>
    Task SaveAsync(JobRecord record);

    /// <summary>Writes the terminal record, the dead-letter entry for a failure, frees the run id and removes the
    /// job from the worker's processing list, atomically: after this the job is done, and not before.</summary>
    Task FinishAsync(JobRecord terminal, DeadLetterEntry? deadLetter, string workerId);

    /// <summary>Takes a job off the worker's processing list and changes nothing else: for a job popped again whose
    /// record is already terminal (pushed twice, or taken back after its finish was written).</summary>
    Task DropFromProcessingAsync(string jobId, string workerId);

    /// <summary>Moves a job from the worker's processing list back to the head of the queue (it is taken next),
    /// atomically, changing nothing else: for a job that could not start because Redis did not answer.</summary>
    Task RequeueAsync(string jobId, string workerId);
}
