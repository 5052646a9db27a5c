using Microsoft.Extensions.Logging;

namespace VideoAkka.Pipeline.Graph;

/// <summary>Turns an exception inside a stage into a failed part of its job, never a failed stream.</summary>
internal static class StageFailure
{
    public static async Task<JobPart> ToPartAsync(JobRun job, string stage, string where, Exception error, ILogger logger) =>
        new PartFailed(job, await DescribeAsync(job, stage, where, error, logger).ConfigureAwait(false));

    /// <summary>Fails the job (through its owner) with a readable reason, unless the exception is just this job being
    /// cancelled because it already failed, timed out or was abandoned: then the owner's reason stands.</summary>
    public static async Task<string> DescribeAsync(JobRun job, string stage, string where, Exception error, ILogger logger)
    {
        if (error is OperationCanceledException && job.Cancellation.IsCancellationRequested)
        {
            return "cancelled";
        }
        logger.LogWarning("Job {JobId} failed in {Where}: {Error}", job.JobId, where, error.Message);
        return await job.FailAsync($"{where}: {Queue.RedisFault.Reason(error)}", stage).ConfigureAwait(false);
    }

    /// <summary>A part of a job that has already failed: skipped without starting any work.</summary>
    public static PartFailed Skipped(JobRun job) => new(job, "cancelled");
}
