namespace VideoAkka.Pipeline.Queue;

/// <summary>What happened to a submission: queued, or refused because the run id already has a live job or the
/// queue is full.</summary>
public abstract record SubmitOutcome
{
    private SubmitOutcome() { }

    public sealed record Queued(string JobId) : SubmitOutcome;

    public sealed record RunIdBusy(string ExistingJobId) : SubmitOutcome;

    /// <summary>As many jobs as videoakka.api.max-queue-length wait already: nothing was written.</summary>
    public sealed record QueueFull : SubmitOutcome;
}
