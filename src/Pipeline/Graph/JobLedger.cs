using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// The one place that writes job records: running, progress (throttled, so Redis is not written per frame), and the
/// terminal state. Stages report to it; they never touch Redis themselves.
/// </summary>
public sealed class JobLedger(IJobStore store, string workerId, TimeProvider clock, TimeSpan progressInterval, ILogger<JobLedger> logger)
{
    private const int FinishAttempts = 6;

    private static readonly ImmutableArray<string> StageOrder =
        [JobStages.Queued, JobStages.Preparing, JobStages.Tts, JobStages.ImageGen, JobStages.VideoGen, JobStages.Subtitle, JobStages.Stitch, JobStages.Done];

    public async Task<JobRecord> MarkRunningAsync(JobRecord queued)
    {
        var running = queued with
        {
            Status = JobStatus.Running,
            Stage = JobStages.Preparing,
            Progress = 0,
            StartedAt = clock.GetUtcNow(),
            FinishedAt = null,
            Error = null,
        };
        await store.SaveAsync(running).ConfigureAwait(false);
        return running;
    }

    /// <summary>A stage's progress on one part of a job. Written at once when the stage moves on, otherwise at most
    /// once per interval.</summary>
    public void Report(JobRun run, string stage, string part, double fraction)
    {
        var overall = run.Progress.Report(part, fraction);
        bool write;
        lock (run.RecordGate)
        {
            if (run.IsFinished)
            {
                return;
            }
            var current = run.Record;
            var nextStage = Rank(stage) > Rank(current.Stage) ? stage : current.Stage;
            var now = clock.GetUtcNow();
            write = nextStage != current.Stage || now - run.LastWrite >= progressInterval;
            run.Record = current with { Stage = nextStage, Progress = Math.Max(current.Progress, Math.Round(overall, 3)) };
            if (write)
            {
                run.LastWrite = now;
            }
        }
        if (write)
        {
            _ = WriteLatestAsync(run);
        }
    }

    public Task<JobRecord> CompleteAsync(JobRun run, string finalVideoPath, string? voiceoverPath) =>
        FinishAsync(run, record => record with
        {
            Status = JobStatus.Completed,
            Stage = JobStages.Done,
            Progress = 1,
            FinalVideoPath = finalVideoPath,
            VoiceoverPath = voiceoverPath,
            VideoFiles = [.. run.Scenes.Select(s => s.VideoFile)],
            ImageFiles = [.. run.Scenes.Select(s => s.ImageFile)],
        }, deadLetterError: null);

    public Task<JobRecord> FailAsync(JobRun run, string error) =>
        FinishAsync(run, record => record with { Status = JobStatus.Failed, Error = error, FinalVideoPath = null }, deadLetterError: error);

    /// <summary>A job that cannot even start (its record is gone or unreadable): fail what is left of it and take it
    /// off the processing list so it is not retried forever.</summary>
    public async Task FailUnstartableAsync(string jobId, JobRecord? record, string error)
    {
        logger.LogError("Job {JobId} cannot start: {Error}", jobId, error);
        if (record is null)
        {
            var placeholder = new JobRecord
            {
                JobId = jobId, RunId = "", Status = JobStatus.Failed, Stage = JobStages.Preparing, CreatedAt = clock.GetUtcNow(),
                FinishedAt = clock.GetUtcNow(), OutputDir = "", Error = error, Payload = JobJson.Null,
            };
            await FinishWithRetriesAsync(placeholder, new DeadLetterEntry(jobId, JobJson.Null, error)).ConfigureAwait(false);
            return;
        }
        var failed = record with { Status = JobStatus.Failed, Error = error, FinishedAt = clock.GetUtcNow() };
        await FinishWithRetriesAsync(failed, new DeadLetterEntry(jobId, record.Payload, error)).ConfigureAwait(false);
    }

    private async Task<JobRecord> FinishAsync(JobRun run, Func<JobRecord, JobRecord> finish, string? deadLetterError)
    {
        await run.WriteGate.WaitAsync().ConfigureAwait(false);
        try
        {
            JobRecord terminal;
            lock (run.RecordGate)
            {
                if (run.TerminalRecorded)
                {
                    return run.Record;
                }
                run.IsFinished = true;
                terminal = finish(run.Record) with { FinishedAt = clock.GetUtcNow() };
                run.Record = terminal;
            }
            var deadLetter = deadLetterError is null ? null : new DeadLetterEntry(terminal.JobId, terminal.Payload, deadLetterError);
            await FinishWithRetriesAsync(terminal, deadLetter).ConfigureAwait(false);
            lock (run.RecordGate)
            {
                run.TerminalRecorded = true;
            }
            return terminal;
        }
        finally
        {
            run.WriteGate.Release();
        }
    }

    /// <summary>The finish script is idempotent, so a brief Redis fault is retried rather than leaving the job
    /// "running" until the worker restarts.</summary>
    private Task FinishWithRetriesAsync(JobRecord terminal, DeadLetterEntry? deadLetter) =>
        RedisRetry.RunAsync(
            () => store.FinishAsync(terminal, deadLetter, workerId),
            FinishAttempts,
            TimeSpan.FromMilliseconds(250),
            clock,
            (ex, attempt) => logger.LogWarning("Recording the outcome of job {JobId} failed (attempt {Attempt}): {Error}", terminal.JobId, attempt, ex.Message));

    private async Task WriteLatestAsync(JobRun run)
    {
        try
        {
            await run.WriteGate.WaitAsync().ConfigureAwait(false);
            try
            {
                JobRecord latest;
                lock (run.RecordGate)
                {
                    if (run.IsFinished)
                    {
                        return;
                    }
                    latest = run.Record;
                }
                await store.SaveAsync(latest).ConfigureAwait(false);
            }
            finally
            {
                run.WriteGate.Release();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Progress is advisory: a lost write is superseded by the next one or by the terminal state.
            logger.LogWarning(ex, "Progress write for job {JobId} failed", run.JobId);
        }
    }

    private static int Rank(string stage) => StageOrder.IndexOf(stage);
}
