using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Graph;

/// <summary>Runs one unit of a stage's work for a job: bounded by the stage's timeout, and counted, start to end, in
/// the job's running time (its owner's clock for videoakka.worker.job-timeout).</summary>
internal static class StageClock
{
    public static async Task<T> RunAsync<T>(JobRun job, string stage, TimeSpan limit, Func<CancellationToken, Task<T>> work)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(job.Cancellation);
        deadline.CancelAfter(limit);
        job.WorkStarted();
        try
        {
            // Whatever a tool or a client throws once the deadline has cancelled it, the deadline is the reason.
            return await work(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception) when (deadline.IsCancellationRequested && !job.Cancellation.IsCancellationRequested)
        {
            throw new StageTimeoutException(stage, limit);
        }
        finally
        {
            job.WorkEnded();
        }
    }
}

/// <summary>One unit of a stage ran longer than the stage's timeout allows.</summary>
public sealed class StageTimeoutException(string stage, TimeSpan limit)
    : TimeoutException($"timed out after {Durations.Format(limit)} (videoakka.stages.{stage}.timeout)");
