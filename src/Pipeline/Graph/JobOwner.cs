using System.Collections.Immutable;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Pipeline.Graph;

/// <summary>What a job's <see cref="JobActor"/> is told and answers.</summary>
public static class JobOwner
{
    /// <summary>Start (or resume) the job: journal JobStarted and write the running record. Answered with
    /// <see cref="Begun"/>, or a failure when the record could not be written (the job is not started).</summary>
    /// <param name="PlannedSeeds">Seeds drawn for this run; a resumed job keeps the ones it journaled first.</param>
    /// <param name="Lease">The job's lease: every write of its state is fenced on it.</param>
    public sealed record BeginJob(JobRecord Queued, ImmutableArray<long> PlannedSeeds, JobLease Lease);

    /// <param name="Before">What earlier runs made, before this start.</param>
    /// <param name="Cancellation">Cancelled when the job fails, times out, is abandoned, or the worker stops.</param>
    public sealed record Begun(JobHistory Before, ImmutableArray<long> Seeds, CancellationToken Cancellation);

    /// <summary>A stage took one unit of the job's work (<see cref="WorkEnded"/> follows): the job's running clock, which
    /// <c>videoakka.worker.job-timeout</c> bounds, runs while at least one unit is in a stage.</summary>
    public sealed record WorkStarted;

    public sealed record WorkEnded;

    public sealed record ReportProgress(string Stage, string Part, double Fraction);

    /// <summary>A part is complete on disk (ImageReady, ClipReady, VoiceoverReady, Rendered).</summary>
    public sealed record ReportMade(JobEvent Made);

    /// <summary>The render's quality control report: it goes into the record, and stays there whatever the outcome.</summary>
    public sealed record RecordQc(Media.Qc.QcReport Report);

    /// <summary>Fail the job unless it already failed; answered with the reason that stands.</summary>
    public sealed record FailJob(string Reason, string Stage);

    public sealed record FailureStands(string Reason);

    /// <summary>The video is rendered: record the job as completed. Answered with <see cref="Finished"/>.</summary>
    public sealed record CompleteJob(string FinalVideoPath, string? VoiceoverPath, ImmutableArray<string> VideoFiles, ImmutableArray<string> ImageFiles);

    /// <summary>The job's last element reached the end of the graph failed: answered with <see cref="Finished"/> once
    /// the failure is recorded (failing it with this reason if nothing failed it yet).</summary>
    public sealed record AwaitOutcome(string Reason, string Stage);

    /// <summary>The terminal record as written, or null when nothing was written here (the job was abandoned, or
    /// another worker holds it now).</summary>
    public sealed record Finished(JobRecord? Record);

    /// <summary>Cancel the job on request: unless its outcome is already decided, its work stops, Cancelled is
    /// journaled and the record becomes cancelled (no dead letter).</summary>
    public sealed record CancelJob;

    /// <summary>Stop the job's work and write nothing more: its lease is gone (another worker may run it) or the
    /// worker is stopping and hands it back.</summary>
    public sealed record Abandon(string Why);
}

/// <summary>What every job's owner is built with.</summary>
/// <param name="WorkerStopping">Cancels every job's work when the worker stops.</param>
public sealed record JobOwnerSettings(
    IJobStore Store,
    string WorkerId,
    TimeProvider Clock,
    TimeSpan ProgressInterval,
    TimeSpan JobTimeout,
    CancellationToken WorkerStopping)
{
    /// <summary>A completed job's journal is kept (videoakka.retention.keep-completed-journals): its completion is
    /// journaled too. Otherwise the terminal write deletes the journal, and the event is not written.</summary>
    public bool CompletedJournalKept { get; init; }

    /// <summary>Where the owner logs (with the job's scope); specs that do not read its lines leave it silent.</summary>
    public Microsoft.Extensions.Logging.ILogger Log { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
