using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// The one owner of a running job (persistence id <c>job-{job_id}</c>). Stages tell it what they made and that they
/// failed; it journals those events, decides the job's failure (the first reason wins, and it cancels the job's other
/// work), and is the only writer of the job record, the read model: running, progress (at most one write in flight,
/// throttled), and the terminal state with the dead letter, in the one atomic, fenced step that ends the job's lease.
/// Every asynchronous result comes back to it as a message, so its state needs no lock.
/// </summary>
public sealed class JobActor : ReceivePersistentActor, IWithTimers
{
    private static readonly ImmutableArray<string> StageOrder =
        [JobStages.Queued, JobStages.Preparing, JobStages.Tts, JobStages.ImageGen, JobStages.VideoGen, JobStages.Subtitle, JobStages.Stitch, JobStages.Qc, JobStages.Done];

    /// <summary>Tries of the terminal write: with the doubling wait capped at 5 s, about five minutes of outage.</summary>
    private const int TerminalWriteAttempts = 64;

    private readonly string _jobId;
    private readonly JobOwnerSettings _settings;
    /// <summary>Microsoft's logger, not Akka's: Akka's lines are written by its logger actor on another thread, where
    /// this job's scope (job_id, run_id) would not reach.</summary>
    private readonly ILogger _log;
    private readonly List<IActorRef> _awaitingOutcome = [];
    private JobHistory _history = JobHistory.Empty;
    private Phase _phase = Phase.Idle;
    private JobRecord? _record;
    private JobLease? _lease;
    private JobProgress? _progress;
    private CancellationTokenSource? _cancellation;
    private JobEvent.Failed? _failure;
    private DateTimeOffset _lastWrite;
    private bool _progressWriteInFlight;
    private bool _progressDirty;
    private Task _progressWrite = Task.CompletedTask;
    private JobRecord? _terminalPending;
    private bool _completing;
    private JobRecord? _terminalWritten;
    /// <summary>Units of the job's work in a stage right now, since when at least one has been, and the running time
    /// before that: the clock videoakka.worker.job-timeout bounds.</summary>
    private int _working;
    private DateTimeOffset _workingSince;
    private TimeSpan _ranBefore;

    public JobActor(string jobId, JobOwnerSettings settings)
    {
        _jobId = jobId;
        _settings = settings;
        _log = settings.Log;
        Recover<JobEvent>(happened => _history = _history.Apply(happened));
        Command<JobOwner.BeginJob>(Begin);
        Command<RunningWritten>(OnRunningWritten);
        Command<JobOwner.ReportProgress>(OnProgress);
        Command<ProgressWritten>(OnProgressWritten);
        Command<JobOwner.ReportMade>(OnMade);
        Command<JobOwner.RecordQc>(OnQc);
        Command<JobOwner.FailJob>(fail => Fail(fail.Reason, fail.Stage, replyTo: Sender));
        Command<JobOwner.WorkStarted>(_ => OnWorkStarted());
        Command<JobOwner.WorkEnded>(_ => OnWorkEnded());
        Command<TimedOut>(_ => OnTimedOut());
        Command<ProgressDue>(_ => OnProgressDue());
        Command<JobOwner.CompleteJob>(Complete);
        Command<JobOwner.AwaitOutcome>(AwaitOutcome);
        Command<TerminalWritten>(OnTerminalWritten);
        Command<JobOwner.Abandon>(abandon => Abandon(abandon.Why));
        Command<JobOwner.CancelJob>(_ => Cancel());
    }

    public static Props Props(string jobId, JobOwnerSettings settings) => Akka.Actor.Props.Create(() => new JobActor(jobId, settings));

    public static string PersistenceIdOf(string jobId) => "job-" + jobId;

    public override string PersistenceId => PersistenceIdOf(_jobId);

    /// <summary>A job's owner never snapshots (its journal is a handful of events): its recovery does not ask the
    /// snapshot store, one Redis round trip less per job started.</summary>
    public override Recovery Recovery { get; } = new(SnapshotSelectionCriteria.None);

    public ITimerScheduler Timers { get; set; } = null!;

    private enum Phase
    {
        Idle,
        Starting,
        Running,
        Finishing,
        Finished,
        Abandoned,
    }

    private sealed record RunningWritten(bool Ours, Exception? Error, IActorRef ReplyTo, JobHistory Before, ImmutableArray<long> Seeds);

    private sealed record ProgressWritten(bool Ours);

    private sealed record TerminalWritten(bool Ours, Exception? Error);

    private sealed record TimedOut;

    private sealed record ProgressDue;

    private DateTimeOffset Now => _settings.Clock.GetUtcNow();

    /// <summary>This job's log scope; safe from any thread (its run id is read once begun, and never changes).</summary>
    private IDisposable? JobScope(string? runId) => _log.BeginJobScope(_jobId, runId);

    private void LogJob(LogLevel level, string message, params object?[] args)
    {
        using var scope = JobScope(_record?.RunId);
        _log.Log(level, message, args);
    }

    private void Apply(JobEvent happened) => _history = _history.Apply(happened);

    private void Begin(JobOwner.BeginJob begin)
    {
        if (_phase != Phase.Idle)
        {
            Sender.Tell(new Status.Failure(new InvalidOperationException($"job {_jobId} is already started here")));
            return;
        }
        _phase = Phase.Starting;
        _lease = begin.Lease;
        var before = _history;
        var seeds = before.Seeds.Length == begin.PlannedSeeds.Length ? before.Seeds : begin.PlannedSeeds;
        var replyTo = Sender;
        Persist(new JobEvent.Started(_settings.WorkerId, seeds, Now), started =>
        {
            Apply(started);
            _progress = new JobProgress(seeds.Length);
            _record = begin.Queued with
            {
                Status = JobStatus.Running,
                Stage = JobStages.Preparing,
                Progress = 0,
                StartedAt = started.At,
                FinishedAt = null,
                Error = null,
                FinalVideoPath = null,
            };
            _lastWrite = Now;
            _settings.Store.SaveAsync(_record, _lease).PipeTo(Self,
                success: ours => new RunningWritten(ours, null, replyTo, before, seeds),
                failure: ex => new RunningWritten(false, ex, replyTo, before, seeds));
        });
    }

    private void OnRunningWritten(RunningWritten written)
    {
        if (!written.Ours || _phase == Phase.Abandoned)
        {
            // Not started after all: Redis did not answer, or the job's lease is gone. The stage decides what to do.
            written.ReplyTo.Tell(new Status.Failure(written.Error ?? new JobLeaseLostException(_jobId)));
            _phase = Phase.Abandoned;
            Context.Stop(Self);
            return;
        }
        _phase = Phase.Running;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(_settings.WorkerStopping);
        if (_working > 0)
        {
            StartTimeout(); // a stage told before this reply was read
        }
        written.ReplyTo.Tell(new JobOwner.Begun(written.Before, written.Seeds, _cancellation.Token));
    }

    private TimeSpan RanFor => _ranBefore + (_working > 0 ? Now - _workingSince : TimeSpan.Zero);

    private void OnWorkStarted()
    {
        if (_working++ == 0)
        {
            _workingSince = Now;
            if (_phase == Phase.Running)
            {
                StartTimeout();
            }
        }
    }

    private void OnWorkEnded()
    {
        if (_working > 0 && --_working == 0)
        {
            _ranBefore += Now - _workingSince;
            // The clock stands still while nothing of the job is in a stage (its parts wait for busy stages).
            Timers.Cancel(nameof(TimedOut));
        }
    }

    private void StartTimeout()
    {
        var left = _settings.JobTimeout - RanFor;
        Timers.StartSingleTimer(nameof(TimedOut), new TimedOut(), left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    private void OnTimedOut()
    {
        if (_phase != Phase.Running || _working == 0)
        {
            return;
        }
        if (RanFor < _settings.JobTimeout)
        {
            StartTimeout(); // the timer fired early by the clock's account
            return;
        }
        Fail($"timed out: its stages worked on it for {Durations.Format(_settings.JobTimeout)} (videoakka.worker.job-timeout)",
            _record?.Stage ?? JobStages.Preparing, replyTo: null);
    }

    private void OnProgress(JobOwner.ReportProgress report)
    {
        if (_phase != Phase.Running || _failure is not null)
        {
            return;
        }
        var overall = _progress!.Report(report.Part, report.Fraction);
        var current = _record!;
        var nextStage = Rank(report.Stage) > Rank(current.Stage) ? report.Stage : current.Stage;
        var nextProgress = Math.Max(current.Progress, Math.Round(overall, 3));
        if (nextStage == current.Stage && nextProgress == current.Progress)
        {
            return;
        }
        _record = current with { Stage = nextStage, Progress = nextProgress };
        // At most one write a progress-interval, stage changes included: a change inside the interval is written when
        // it ends, with whatever is latest then. A job that ends within the interval writes no progress at all: its
        // terminal write carries it (issue 14: a few Redis round trips less per job).
        var wait = _lastWrite + _settings.ProgressInterval - Now;
        if (wait <= TimeSpan.Zero)
        {
            WriteProgress();
        }
        else if (!Timers.IsTimerActive(nameof(ProgressDue)))
        {
            Timers.StartSingleTimer(nameof(ProgressDue), new ProgressDue(), wait);
        }
    }

    private void OnProgressDue()
    {
        if (_phase == Phase.Running && _failure is null)
        {
            WriteProgress();
        }
    }

    /// <summary>At most one progress write in flight: one asked for meanwhile is made when it lands, with the latest
    /// state, so writes never overtake each other.</summary>
    private void WriteProgress()
    {
        if (_progressWriteInFlight)
        {
            _progressDirty = true;
            return;
        }
        _progressWriteInFlight = true;
        _progressDirty = false;
        _lastWrite = Now;
        // Only the stage and progress: the record itself (with its payload) is written at the start and at the end.
        var write = _settings.Store.SaveProgressAsync(_record!, _lease!);
        _progressWrite = write;
        var runId = _record!.RunId;
        write.PipeTo(Self, success: ours => new ProgressWritten(ours), failure: ex =>
        {
            // Progress is advisory: a lost write is superseded by the next one or by the terminal state.
            using var scope = JobScope(runId);
            _log.LogWarning("Progress write for job {JobId} failed: {Error}", _jobId, ex.Message);
            return new ProgressWritten(true);
        });
    }

    private void OnProgressWritten(ProgressWritten written)
    {
        _progressWriteInFlight = false;
        if (!written.Ours)
        {
            Abandon("its lease is held elsewhere");
            return;
        }
        if (_progressDirty && _phase == Phase.Running && _failure is null)
        {
            WriteProgress();
        }
    }

    /// <summary>Kept in the record from now on: the terminal write (completed, or failed by a hard check) carries it.</summary>
    private void OnQc(JobOwner.RecordQc qc)
    {
        if (_record is not null && _phase == Phase.Running)
        {
            _record = _record with { Qc = qc.Report };
        }
    }

    private void Fail(string reason, string stage, IActorRef? replyTo)
    {
        if (_failure is not null || _phase != Phase.Running)
        {
            replyTo?.Tell(new JobOwner.FailureStands(_failure?.Reason ?? reason));
            return;
        }
        _failure = new JobEvent.Failed(reason, stage, Now);
        // Cancelled at once, before the event is stored: the job's other work stops now, not after a Redis write. The
        // token's callbacks (the job's ffmpeg, HTTP calls) run on the thread pool, not on this actor's thread.
        _ = _cancellation?.CancelAsync();
        Persist(_failure, failed =>
        {
            Apply(failed);
            replyTo?.Tell(new JobOwner.FailureStands(failed.Reason));
            LogJob(LogLevel.Warning, "Job {JobId} failed in {Stage}: {Reason}", _jobId, failed.Stage, failed.Reason);
            var terminal = _record! with { Status = JobStatus.Failed, Error = failed.Reason, FinalVideoPath = null, FinishedAt = failed.At };
            WriteTerminal(terminal, new DeadLetterEntry(_jobId, terminal.Payload, failed.Reason));
        });
    }

    /// <summary>A failure or completion already decided stands; otherwise the job stops here, at once.</summary>
    private void Cancel()
    {
        if (_failure is not null || _phase != Phase.Running)
        {
            return;
        }
        Timers.Cancel(nameof(TimedOut));
        _ = _cancellation?.CancelAsync();
        _phase = Phase.Finishing;
        Persist(new JobEvent.Cancelled(Now), cancelled =>
        {
            Apply(cancelled);
            LogJob(LogLevel.Information, "Job {JobId} cancelled", _jobId);
            WriteTerminal(_record! with { Status = JobStatus.Cancelled, Error = null, FinalVideoPath = null, FinishedAt = cancelled.At }, deadLetter: null);
        });
    }

    private void Complete(JobOwner.CompleteJob complete)
    {
        if (_failure is not null || _phase != Phase.Running)
        {
            AwaitOutcome(new JobOwner.AwaitOutcome(_failure?.Reason ?? "cancelled", JobStages.Stitch));
            return;
        }
        _awaitingOutcome.Add(Sender);
        _completing = true;
        var completed = new JobEvent.Completed(Now);
        var terminal = _record! with
        {
            Status = JobStatus.Completed,
            Stage = JobStages.Done,
            Progress = 1,
            FinishedAt = completed.At,
            FinalVideoPath = complete.FinalVideoPath,
            VoiceoverPath = complete.VoiceoverPath,
            VideoFiles = complete.VideoFiles,
            ImageFiles = complete.ImageFiles,
        };
        if (!_settings.CompletedJournalKept)
        {
            // The terminal script deletes the journal: an event written just before it would go unread. A worker that
            // dies in between leaves the job to be resumed, and the resumed run takes the render its journal names.
            WriteTerminal(terminal, deadLetter: null);
            return;
        }
        Persist(completed, written =>
        {
            Apply(written);
            WriteTerminal(terminal, deadLetter: null);
        });
    }

    private void AwaitOutcome(JobOwner.AwaitOutcome awaiting)
    {
        _awaitingOutcome.Add(Sender);
        switch (_phase)
        {
            case Phase.Finished or Phase.Abandoned:
                ReplyFinishedAndStop();
                break;
            case Phase.Running when _failure is null:
                Fail(awaiting.Reason, awaiting.Stage, replyTo: null);
                break;
        }
    }

    /// <summary>The terminal record, the dead letter, the run id's release and the end of the lease, in one fenced
    /// script, after any progress write still in flight, retried through a Redis outage.</summary>
    private void WriteTerminal(JobRecord terminal, DeadLetterEntry? deadLetter)
    {
        _phase = Phase.Finishing;
        Timers.Cancel(nameof(TimedOut));
        Timers.Cancel(nameof(ProgressDue));
        var previous = _progressWrite;
        var store = _settings.Store;
        var lease = _lease!;
        var log = _log;
        var runId = terminal.RunId;
        var jobId = _jobId;
        _terminalPending = terminal;
        WriteAsync().PipeTo(Self, success: ours => new TerminalWritten(ours, null), failure: ex => new TerminalWritten(false, ex));

        async Task<bool> WriteAsync()
        {
            await previous.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            return await RedisRetry.RunAsync(
                () => store.FinishAsync(terminal, deadLetter, lease),
                TerminalWriteAttempts,
                TimeSpan.FromMilliseconds(250),
                TimeProvider.System,
                (ex, attempt) =>
                {
                    using var scope = log.BeginJobScope(jobId, runId);
                    log.LogWarning("Recording the outcome of job {JobId} failed (attempt {Attempt}): {Error}", jobId, attempt, ex.Message);
                },
                _settings.WorkerStopping).ConfigureAwait(false);
        }
    }

    private void OnTerminalWritten(TerminalWritten written)
    {
        if (written.Error is not null)
        {
            LogJob(LogLevel.Error, "Could not record the outcome of job {JobId}: {Error}; it stays in the processing list", _jobId, written.Error.Message);
        }
        else if (!written.Ours)
        {
            LogJob(LogLevel.Warning, "Job {JobId} is held by another worker now: its outcome here is not recorded", _jobId);
        }
        _terminalWritten = written.Ours ? _terminalPending : null;
        _phase = Phase.Finished;
        if (_awaitingOutcome.Count > 0)
        {
            ReplyFinishedAndStop();
        }
    }

    private void Abandon(string why)
    {
        switch (_phase)
        {
            case Phase.Abandoned:
                return;
            case Phase.Idle or Phase.Finished:
                // Nothing runs for it (never begun, or its outcome is written): nobody will ask for it again.
                ReplyFinishedAndStop();
                return;
        }
        LogJob(LogLevel.Information, "Job {JobId} abandoned here: {Why}", _jobId, why);
        var starting = _phase == Phase.Starting;
        _phase = Phase.Abandoned;
        Timers.Cancel(nameof(TimedOut));
        _ = _cancellation?.CancelAsync();
        if (_awaitingOutcome.Count > 0 && !starting)
        {
            ReplyFinishedAndStop();
        }
    }

    /// <summary>A part made: journaled while the job runs here. Once its outcome is being written (a completed job's
    /// journal is then deleted), or once abandoned (another worker may be resuming it from this very journal), late
    /// parts are not written.</summary>
    private void OnMade(JobOwner.ReportMade made)
    {
        // A part finished just as the job failed is still worth keeping for a retry; not after a completion, whose
        // journal the terminal write deletes.
        if (_phase == Phase.Running || (_phase == Phase.Finishing && !_completing))
        {
            Persist(made.Made, Apply);
        }
    }

    private void ReplyFinishedAndStop()
    {
        var finished = new JobOwner.Finished(_phase == Phase.Finished ? _terminalWritten : null);
        foreach (var asker in _awaitingOutcome)
        {
            asker.Tell(finished);
        }
        _awaitingOutcome.Clear();
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        // Stopped before its outcome was recorded (the worker stops, or the journal failed): its work stops here and
        // the job stays leased to this worker until it hands it back or the lease expires.
        foreach (var asker in _awaitingOutcome)
        {
            asker.Tell(new JobOwner.Finished(null));
        }
        if (_cancellation is not null)
        {
            _cancellation.Cancel();
            _cancellation.Dispose();
        }
        base.PostStop();
    }

    private static int Rank(string stage) => StageOrder.IndexOf(stage);
}

/// <summary>Another worker (or the reaper) holds the job's lease now: this worker must not run it.</summary>
public sealed class JobLeaseLostException(string jobId) : Exception($"job {jobId} is no longer leased to this worker");
