using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Notify;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// The first and last steps of a job in the graph: start (read the record, prepare the folder, mark it running)
/// and finish (record the outcome, free the job's slot), then the webhook. Checkpoints, in order:
/// 1. popped into the processing list (source); 2. running written (start); 3. terminal state written and the job
/// removed from the processing list, atomically (finish); 4. webhook sent (best effort, after the outcome stands).
/// </summary>
public sealed class JobLifecycle(
    IJobStore store,
    JobLedger ledger,
    ActiveJobs active,
    JobAdmission admission,
    PipelineSettings settings,
    string generatorName,
    string dataRoot,
    WebhookNotifier notifier,
    ILogger<JobLifecycle> logger,
    CancellationToken workerStopping)
{
    /// <summary>Returns the started run, or a result without one when the job could not start (already recorded as
    /// failed, with its slot freed).</summary>
    public async Task<StartResult> StartAsync(string jobId)
    {
        JobRecord? record = null;
        try
        {
            record = await store.GetAsync(jobId).ConfigureAwait(false);
            if (record is null)
            {
                return await RefuseAsync(jobId, null, "the job record is missing").ConfigureAwait(false);
            }
            if (record.Status is JobStatus.Completed or JobStatus.Failed)
            {
                // Already finished (pushed onto the queue again, or taken back after its finish was written): never
                // run twice, and its video and record are left as they are.
                return await SkipFinishedAsync(record).ConfigureAwait(false);
            }
            var parsed = JobRequestParser.Parse(record.Payload, record.RunId, settings.ImageUrls.AllowPrivateNetworks);
            if (!parsed.IsValid)
            {
                return await RefuseAsync(jobId, record, "invalid payload: " + string.Join("; ", parsed.Errors.Select(e => $"{e.Field} {e.Message}"))).ConfigureAwait(false);
            }
            var request = parsed.Request!;
            var folder = JobFolder.For(dataRoot, request.RunId);
            Directory.CreateDirectory(folder.Path);
            File.Delete(folder.FinalVideo); // an earlier run's video is not this job's

            var format = settings.FormatFor(request.Options);
            var scenes = ScenePlanner.Plan(jobId, request, folder, format, settings.SceneSeconds, Random.Shared);
            await WriteManifestAsync(record, request, format, scenes, folder).ConfigureAwait(false);

            var running = await ledger.MarkRunningAsync(record).ConfigureAwait(false);
            var run = new JobRun(running, request, folder, format, scenes, settings.Voice, settings.JobTimeout, workerStopping)
            {
                FirstFailure = RecordFailureNow,
            };
            active.Add(run);
            logger.LogInformation("Job {JobId} (run {RunId}) started: {Scenes} scenes, {Width}x{Height}, generator {Generator}",
                jobId, request.RunId, scenes.Length, format.Width, format.Height, generatorName);
            return new StartResult(run);
        }
        catch (OperationCanceledException) when (workerStopping.IsCancellationRequested)
        {
            // Shutdown, not a fault of the job: it stays in the processing list and starts again next time.
            admission.Release();
            return StartResult.NotStarted;
        }
        catch (Exception ex) when (RedisFault.IsUnavailable(ex))
        {
            // Not the job's fault: its record stays as it is (no placeholder, no failure, its run_id still its own)
            // and it goes back on the queue to be tried again.
            return await PutBackAsync(jobId, ex).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return await RefuseAsync(jobId, record, ex.Message).ConfigureAwait(false);
        }
    }

    /// <summary>Records the outcome. A job failed only because this worker is stopping is left in the processing
    /// list instead, to run again on the next start.</summary>
    public async Task<FinishResult> FinishAsync(JobStep step)
    {
        var run = step.Job;
        try
        {
            if (step is JobFailed && run.WorkerStopping.IsCancellationRequested && !run.TerminalRecorded)
            {
                logger.LogInformation("Job {JobId} interrupted by shutdown; it stays queued for the next start", run.JobId);
                return FinishResult.None;
            }
            var record = step switch
            {
                JobSucceeded done => await ledger.CompleteAsync(run, done.FinalVideoPath, done.VoiceoverPath).ConfigureAwait(false),
                JobFailed failed => await ledger.FailAsync(run, failed.Error).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"{step.GetType().Name} is not a terminal step"),
            };
            logger.LogInformation("Job {JobId} {Status}{Error}", run.JobId, record.Status.ToWire(), record.Error is null ? "" : ": " + record.Error);
            return new FinishResult(record);
        }
        catch (Exception ex)
        {
            // Redis is unreachable: the job stays in the processing list and is taken again on the next start.
            logger.LogError(ex, "Could not record the outcome of job {JobId}", run.JobId);
            return FinishResult.None;
        }
        finally
        {
            active.Remove(run);
            admission.Release();
            run.Dispose();
        }
    }

    /// <summary>The failure is written as soon as it happens: its JobFailed element may wait behind finished jobs
    /// that the render stage has not taken yet, and pollers should not see "running" meanwhile. The graph's finish step
    /// then only frees the job's slot and sends the webhook.</summary>
    private void RecordFailureNow(JobRun run, string reason)
    {
        if (run.WorkerStopping.IsCancellationRequested)
        {
            return; // shutdown: the job stays in the processing list
        }
        _ = RecordAsync();

        async Task RecordAsync()
        {
            try
            {
                await ledger.FailAsync(run, reason).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not record the failure of job {JobId} yet; the finish step will try again", run.JobId);
            }
        }
    }

    public async Task<bool> NotifyAsync(FinishResult finished)
    {
        if (finished.Record is null)
        {
            return false;
        }
        try
        {
            return await notifier.NotifyAsync(finished.Record, workerStopping).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Webhook for job {JobId} abandoned", finished.Record.JobId);
            return false;
        }
    }

    /// <summary>Redis did not answer while the job was starting: pause, then put it back at the head of the queue.
    /// If Redis stays away, the job stays in the processing list, which is requeued when the worker starts again.</summary>
    private async Task<StartResult> PutBackAsync(string jobId, Exception fault)
    {
        logger.LogWarning("Job {JobId} could not start because Redis did not answer ({Error}); it goes back on the queue", jobId, fault.Message);
        try
        {
            // A pause first: a job put back at once would be popped again while Redis is still struggling.
            await Task.Delay(TimeSpan.FromMilliseconds(500), workerStopping).ConfigureAwait(false);
            await RedisRetry.RunAsync(
                () => store.RequeueAsync(jobId, settings.Queue.WorkerId),
                attempts: 5,
                TimeSpan.FromSeconds(1),
                TimeProvider.System,
                (ex, attempt) => logger.LogWarning("Putting job {JobId} back on the queue failed (attempt {Attempt}): {Error}", jobId, attempt, ex.Message),
                workerStopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFault.IsUnavailable(ex) || ex is OperationCanceledException)
        {
            logger.LogWarning("Job {JobId} stays in this worker's processing list for now: {Error}", jobId, ex.Message);
        }
        finally
        {
            admission.Release();
        }
        return StartResult.NotStarted;
    }

    private async Task<StartResult> SkipFinishedAsync(JobRecord record)
    {
        logger.LogWarning("Job {JobId} was taken from the queue again but is already {Status}; it is not run again", record.JobId, record.Status.ToWire());
        try
        {
            await store.DropFromProcessingAsync(record.JobId, settings.Queue.WorkerId).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFault.IsUnavailable(ex))
        {
            // Left in the processing list: it is taken again (and skipped again) later. Never recorded as failed.
            logger.LogWarning("Could not take finished job {JobId} off the processing list yet: {Error}", record.JobId, ex.Message);
        }
        finally
        {
            admission.Release();
        }
        return StartResult.NotStarted;
    }

    private async Task<StartResult> RefuseAsync(string jobId, JobRecord? record, string error)
    {
        try
        {
            await ledger.FailUnstartableAsync(jobId, record, error).ConfigureAwait(false);
            var failed = record is null ? null : await store.GetAsync(jobId).ConfigureAwait(false);
            if (failed is not null)
            {
                // Not awaited: a slow or failing webhook (retries, timeouts) must not hold up intake of other jobs.
                _ = NotifyAsync(new FinishResult(failed));
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record that job {JobId} cannot start", jobId);
        }
        finally
        {
            admission.Release();
        }
        return StartResult.NotStarted;
    }

    private Task WriteManifestAsync(JobRecord record, JobRequest request, VideoFormat format, ImmutableArray<SceneTask> scenes, JobFolder folder)
    {
        var manifest = new JobManifest(
            record.JobId, request.RunId, record.CreatedAt, request.Script, request.Caption,
            request.Options.Aspect.ToWire(), format.Width, format.Height, format.Fps,
            request.Options.Voiceover ? request.Options.Voice ?? settings.Voice : null,
            request.Options.Voiceover, generatorName,
            [.. scenes.Select(s => new ManifestScene(s.Index, s.Prompt.Image, s.Prompt.Video, s.DurationSeconds, s.ImageFile, s.VideoFile,
                s.Seed, s.Sources.ImageMaker(generatorName), s.Sources.ClipMaker(generatorName)))]);
        return File.WriteAllTextAsync(folder.Manifest, JsonSerializer.Serialize(manifest, JobJson.Default.JobManifest), workerStopping);
    }
}

/// <summary>The start step's result: a run, or none when the job could not start.</summary>
public sealed record StartResult(JobRun? Run)
{
    public static StartResult NotStarted { get; } = new((JobRun?)null);
}

/// <summary>The finish step's result: the terminal record, or none when nothing was recorded.</summary>
public sealed record FinishResult(JobRecord? Record)
{
    public static FinishResult None { get; } = new((JobRecord?)null);
}
