using System.Collections.Immutable;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// The context that travels with every element of one job through the graph: who the job is, where its folder is,
/// its scenes, and the cancellation that stops all of its work at once when any part of it fails.
/// </summary>
public sealed class JobRun : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenRegistration _timeoutFails;
    private string? _failureReason;

    public JobRun(JobRecord record, JobRequest request, JobFolder folder, VideoFormat format, ImmutableArray<SceneTask> scenes, string defaultVoice,
        TimeSpan timeout, CancellationToken workerStopping)
    {
        DefaultVoice = defaultVoice;
        Record = record;
        Request = request;
        Folder = folder;
        Format = format;
        Scenes = scenes;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(workerStopping);
        // Kept apart from the source: late parts of a failed job still read it after the run is disposed.
        Cancellation = _cancellation.Token;
        WorkerStopping = workerStopping;
        Progress = new JobProgress(scenes.Length);
        _timeout = new CancellationTokenSource(timeout);
        _timeoutFails = _timeout.Token.Register(() => Fail($"timed out: still running after {timeout} (videoakka.worker.job-timeout)"));
    }

    public string JobId => Record.JobId;

    /// <summary>The latest record written for this job; only <see cref="JobLedger"/> replaces it.</summary>
    public JobRecord Record { get; internal set; }

    public JobRequest Request { get; }

    public JobFolder Folder { get; }

    public VideoFormat Format { get; }

    /// <summary>The configured voice, for a request that names none.</summary>
    public string DefaultVoice { get; }

    public ImmutableArray<SceneTask> Scenes { get; }

    public JobProgress Progress { get; }

    /// <summary>Every element of the job: one per scene and one voiceover. The assembler waits for all of them.</summary>
    public int PartCount => Scenes.Length + 1;

    /// <summary>Cancelled when the job fails anywhere or the worker stops: every step passes it to ffmpeg and HTTP.</summary>
    public CancellationToken Cancellation { get; }

    public CancellationToken WorkerStopping { get; }

    /// <summary>The first failure's reason; later failures (and the cancellations it caused) keep it.</summary>
    public string? FailureReason => Volatile.Read(ref _failureReason);

    /// <summary>Fails the whole job: records the reason (first one wins) and cancels its other in-flight work.</summary>
    /// <returns>The reason that stands.</returns>
    public string Fail(string reason)
    {
        var first = Interlocked.CompareExchange(ref _failureReason, reason, null) is null;
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished and disposed: nothing left to cancel.
            return FailureReason!;
        }
        if (first)
        {
            FirstFailure?.Invoke(this, reason);
        }
        return FailureReason!;
    }

    /// <summary>Called once, by the first failure, after the job's work is cancelled: records the failure at once,
    /// rather than when the failure has made its way through the graph.</summary>
    public Action<JobRun, string>? FirstFailure { get; set; }

    /// <summary>Serialises this job's record writes, so a slow progress write never lands after the terminal one.</summary>
    internal SemaphoreSlim WriteGate { get; } = new(1, 1);

    /// <summary>Guards <see cref="Record"/> and the ledger's throttling state.</summary>
    internal Lock RecordGate { get; } = new();

    internal DateTimeOffset LastWrite { get; set; }

    internal bool IsFinished { get; set; }

    /// <summary>The terminal state is in Redis: a second finish (the graph's, after an early one) writes nothing.</summary>
    public bool TerminalRecorded { get; internal set; }

    public void Dispose()
    {
        _timeoutFails.Dispose();
        _timeout.Dispose();
        _cancellation.Dispose();
        WriteGate.Dispose();
    }
}
