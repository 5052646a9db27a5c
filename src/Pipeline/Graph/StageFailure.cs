using Microsoft.Extensions.Logging;

namespace VideoAkka.Pipeline.Graph;

/// <summary>Turns an exception inside a stage into a failed part of its job, never a failed stream.</summary>
internal static class StageFailure
{
    public static PartFailed ToPart(JobRun job, string where, Exception error, ILogger logger) =>
        new(job, Describe(job, where, error, logger));

    /// <summary>Fails the job with a readable reason, unless the exception is just this job being cancelled
    /// because another of its parts failed first: then the first reason stands.</summary>
    public static string Describe(JobRun job, string where, Exception error, ILogger logger)
    {
        if (error is OperationCanceledException && job.Cancellation.IsCancellationRequested)
        {
            return job.FailureReason ?? "cancelled: the worker is stopping";
        }
        var reason = job.Fail($"{where}: {error.Message}");
        logger.LogWarning("Job {JobId} failed in {Where}: {Error}", job.JobId, where, error.Message);
        return reason;
    }

    /// <summary>A part of a job that has already failed: skipped without starting any work.</summary>
    public static PartFailed Skipped(JobRun job) => new(job, job.FailureReason ?? "cancelled");
}
