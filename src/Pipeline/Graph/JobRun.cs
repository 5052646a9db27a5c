using System.Collections.Immutable;
using Akka.Actor;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// The context that travels with every element of one job through the graph: who the job is, where its folder is,
/// its scenes, what an earlier run of it already made, and the cancellation that stops all of its work at once.
/// Immutable: the job's state belongs to its <see cref="JobActor"/> (<see cref="Owner"/>), which stages tell what
/// they made and that they failed.
/// </summary>
/// <param name="Cancellation">Cancelled by the owner when the job fails anywhere, times out or is abandoned, and when
/// the worker stops: every step passes it to ffmpeg and HTTP.</param>
/// <param name="Resumed">Parts an earlier run made whose files are still good: they are not made again.</param>
/// <param name="Slot">The job's admission slot: the finish step gives it back, once.</param>
public sealed record JobRun(
    string JobId,
    JobRequest Request,
    JobFolder Folder,
    VideoFormat Format,
    ImmutableArray<SceneTask> Scenes,
    string DefaultVoice,
    IActorRef Owner,
    CancellationToken Cancellation,
    CancellationToken WorkerStopping,
    ResumedParts Resumed,
    AdmissionSlot Slot,
    TimeSpan AskTimeout)
{
    /// <summary>Every element of the job: one per scene and one voiceover. The assembler waits for all of them.</summary>
    public int PartCount => Scenes.Length + 1;

    /// <summary>job_id and run_id on every log line about this job (see <see cref="Telemetry.JobLogScope"/>).</summary>
    public IDisposable? BeginLogScope(Microsoft.Extensions.Logging.ILogger logger) => Telemetry.JobLogScopes.BeginJobScope(logger, JobId, Request.RunId);

    /// <summary>One unit of the job's work entered a stage (and, with <see cref="WorkEnded"/>, left it): the owner's
    /// running clock for videoakka.worker.job-timeout.</summary>
    public void WorkStarted() => Owner.Tell(new JobOwner.WorkStarted());

    public void WorkEnded() => Owner.Tell(new JobOwner.WorkEnded());

    public void Report(string stage, string part, double fraction) => Owner.Tell(new JobOwner.ReportProgress(stage, part, fraction));

    /// <summary>A part is complete on disk: the owner journals it, so a resumed job does not make it again.</summary>
    public void Made(JobEvent made) => Owner.Tell(new JobOwner.ReportMade(made));

    /// <summary>Fails the whole job (the first reason wins, and the owner cancels the job's other work).</summary>
    /// <returns>The reason that stands.</returns>
    public async Task<string> FailAsync(string reason, string stage)
    {
        try
        {
            var stands = await Owner.Ask<JobOwner.FailureStands>(new JobOwner.FailJob(reason, stage), AskTimeout).ConfigureAwait(false);
            return stands.Reason;
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
        {
            return reason; // the owner is gone (the job was abandoned): nothing more is recorded here
        }
    }
}

/// <summary>A job's admission slot (see <see cref="Queue.JobAdmission"/>): released exactly once however often the
/// job's last steps ask.</summary>
public sealed class AdmissionSlot(Queue.JobAdmission admission)
{
    private int _released;

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            admission.Release();
        }
    }
}
