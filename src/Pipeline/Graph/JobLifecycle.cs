using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// The first and last steps of a job in the graph: start (lease it, read the record, prepare the folder, have its
/// <see cref="JobActor"/> begin or resume it) and finish (have the owner record the outcome, free the job's slot), then
/// the webhook. Checkpoints, in order: 1. popped into the processing list (source); 2. leased (start); 3. JobStarted
/// journaled and running written (owner); 4. each part journaled as it is made; 5. the terminal state written, the job
/// off the processing list, its lease ended and its webhook in the outbox, atomically (owner); 6. the webhook delivered
/// from the outbox, by any worker.
/// </summary>
public sealed class JobLifecycle(
    IJobStore store,
    JobAdmission admission,
    PipelineSettings settings,
    string generatorName,
    string dataRoot,
    Ffprobe probe,
    Func<string, JobLease, Task<IActorRef>> ownerFor,
    PipelineMetrics metrics,
    ILogger<JobLifecycle> logger,
    CancellationToken workerStopping)
{
    /// <summary>Tries of a write that decides where a job that cannot run goes (failed, or back on the queue).</summary>
    private const int DecisiveWriteAttempts = 6;

    /// <summary>How long a step waits for a job's owner: its answers wait on Redis writes, retried through outages.</summary>
    private TimeSpan OwnerTimeout => settings.Queue.LeaseTtl * 4 > TimeSpan.FromSeconds(30) ? settings.Queue.LeaseTtl * 4 : TimeSpan.FromSeconds(30);

    /// <summary>Returns the started run; or, for a job that cannot start, its failed record for the webhook; or
    /// neither (the job is not this worker's, is already finished, or went back on the queue).</summary>
    public async Task<StartResult> StartAsync(string jobId)
    {
        // One scope at a time, so a JSON line carries one job_id/run_id pair: the job's, then with its run once read.
        var scope = logger.BeginJobScope(jobId, null);
        var slot = new AdmissionSlot(admission);
        JobRecord? record = null;
        JobLease? lease = null;
        LeasedJob? leased = null;
        IActorRef? owner = null;
        var started = false;
        try
        {
            // Made before the script runs: if its answer is lost, putting the job back gives up this very lease.
            lease = JobLease.New(settings.Queue.WorkerId);
            leased = await store.LeaseAsync(jobId, lease, settings.Queue.LeaseLength).ConfigureAwait(false);
            switch (leased.Outcome)
            {
                case LeaseOutcome.NotInList:
                    logger.LogWarning("Job {JobId} left this worker's processing list before it started; it is not run here", jobId);
                    return StartResult.NotStarted;
                case LeaseOutcome.HeldAlready:
                    logger.LogWarning("Job {JobId} was queued again while a worker runs it; this copy is dropped", jobId);
                    return StartResult.NotStarted;
            }
            record = leased.RecordJson is null ? null : JobJson.DeserializeRecord(leased.RecordJson);
            if (record is null)
            {
                return await RefuseAsync(jobId, null, lease, "the job record is missing").ConfigureAwait(false);
            }
            scope?.Dispose();
            scope = logger.BeginJobScope(jobId, record.RunId);
            if (record.Status.IsTerminal())
            {
                // Already finished (pushed onto the queue again, or taken back after its finish was written): never
                // run twice, and its video and record are left as they are.
                return await SkipFinishedAsync(record, lease).ConfigureAwait(false);
            }
            if (leased.CancelRequested)
            {
                return await CancelUnstartedAsync(record, lease).ConfigureAwait(false);
            }
            var parsed = JobRequestParser.Parse(record.Payload, record.RunId, settings.ImageUrls.AllowPrivateNetworks, settings.Speech.Voices);
            if (!parsed.IsValid)
            {
                return await RefuseAsync(jobId, record, lease, "invalid payload: " + string.Join("; ", parsed.Errors.Select(e => $"{e.Field} {e.Message}"))).ConfigureAwait(false);
            }
            var request = parsed.Request!;
            if (leased.ClaimedRunId is { } claimed && claimed != request.RunId)
            {
                // The lease script guarded the record's run_id; the folder would be the payload's. Never written so by
                // this service; refused, and the guard taken for it is given back with the failed record.
                return await RefuseAsync(jobId, record, lease, $"its payload's run_id {request.RunId} is not its record's {claimed}").ConfigureAwait(false);
            }
            var guard = leased.ClaimedRunId is null ? await store.ClaimRunAsync(request.RunId, jobId).ConfigureAwait(false) : leased.RunHolder!;
            if (guard != jobId)
            {
                return await RefuseAsync(jobId, record, lease, $"its run_id {request.RunId} is held by job {guard}").ConfigureAwait(false);
            }

            var folder = JobFolder.For(dataRoot, request.RunId);
            Directory.CreateDirectory(folder.Path);
            var format = settings.FormatFor(request.Options);
            var planned = ScenePlanner.Plan(jobId, request, folder, format, settings.SceneSeconds, Random.Shared);

            owner = await ownerFor(jobId, lease).ConfigureAwait(false);
            var begun = await owner.Ask<JobOwner.Begun>(new JobOwner.BeginJob(record, [.. planned.Select(s => s.Seed)], lease), OwnerTimeout, workerStopping).ConfigureAwait(false);
            started = true;
            var scenes = planned.Select((scene, i) => scene with { Seed = begun.Seeds[i] }).ToImmutableArray();
            var run = new JobRun(jobId, request, folder, format, scenes, settings.Voice, owner, begun.Cancellation, workerStopping,
                ResumedParts.None, slot, OwnerTimeout);
            // Preparing (probing what an earlier run made, writing the manifest) is the job's own work: on its clock.
            run.WorkStarted();
            try
            {
                if (begun.Before.Outcome is JobEvent.Failed failedBefore && record.Status == JobStatus.Running)
                {
                    // Decided by an earlier run whose worker died before writing it: recorded now, not run again. (A
                    // job queued again by a retry has a queued record: it runs.)
                    throw new JobAlreadyFailedException(failedBefore.Reason);
                }
                // The folder is the run_id's: a job run there since (the same run_id, submitted while this one was failed
                // or cancelled) left its own files under the same names. They are not this job's to reuse.
                var resumed = await folder.ManifestJobIdAsync().ConfigureAwait(false) is { } owner0 && owner0 != jobId
                    ? ResumedParts.None
                    : await ResumedParts.CheckAsync(begun.Before, folder, scenes.Length, probe, begun.Cancellation).ConfigureAwait(false);
                if (resumed.FinalVideo is null)
                {
                    File.Delete(folder.FinalVideo); // an earlier run's video is not this job's
                }
                await WriteManifestAsync(record, request, format, scenes, folder).ConfigureAwait(false);
                run = run with { Resumed = resumed };
                ReportResumed(run);
                logger.LogInformation("Job {JobId} (run {RunId}) {Started}: {Scenes} scenes, {Width}x{Height}, generator {Generator}{Reused}",
                    jobId, request.RunId, begun.Before.Starts == 0 ? "started" : "resumed", scenes.Length, format.Width, format.Height, generatorName,
                    resumed.IsEmpty ? "" : $", reusing {resumed.Images.Count} image(s), {resumed.Clips.Count} clip(s){(resumed.Voiceover is null ? "" : ", the voiceover")}");
                return new StartResult(run);
            }
            catch (Exception ex)
            {
                // Begun, so its owner records the outcome (a failure, or nothing when the job was abandoned meanwhile)
                // and the finish step frees the slot; the webhook follows from here.
                if (ex is not OperationCanceledException)
                {
                    await run.FailAsync(ex is JobAlreadyFailedException ? ex.Message : $"preparing: {RedisFault.Reason(ex)}", JobStages.Preparing).ConfigureAwait(false);
                }
                var finished = await FinishAsync(new JobFailed(run, RedisFault.Reason(ex))).ConfigureAwait(false);
                return new StartResult(null, finished.Record);
            }
            finally
            {
                run.WorkEnded();
            }
        }
        catch (OperationCanceledException) when (workerStopping.IsCancellationRequested)
        {
            // Shutdown, not a fault of the job: the worker hands its processing list back as it stops.
            owner?.Tell(new JobOwner.Abandon("the worker is stopping"));
            return StartResult.NotStarted;
        }
        catch (Exception ex) when (!started && (RedisFault.IsUnavailable(ex) || ex is AskTimeoutException))
        {
            // Not the job's fault: its record stays as it is (no placeholder, no failure, its run_id still its own)
            // and it goes back on the queue to be tried again.
            owner?.Tell(new JobOwner.Abandon("it could not start"));
            return await PutBackAsync(jobId, lease!, ex).ConfigureAwait(false);
        }
        catch (JobLeaseLostException)
        {
            logger.LogWarning("Job {JobId} was taken back from this worker before it started", jobId);
            return StartResult.NotStarted;
        }
        catch (Exception ex) when (!started)
        {
            owner?.Tell(new JobOwner.Abandon("it could not start"));
            // Not leased as far as this worker knows (the script failed): nothing is written; a lease it may have taken
            // runs out and the reaper puts the job back. Leased: refused, giving back the run id the script claimed.
            return leased is null ? StartResult.NotStarted : await RefuseAsync(jobId, record, lease!, RedisFault.Reason(ex), leased.ClaimedRunId).ConfigureAwait(false);
        }
        finally
        {
            if (!started)
            {
                slot.Release();
            }
            scope?.Dispose();
        }
    }

    /// <summary>Has the owner record the outcome and frees the job's slot. A job failed only because this worker is
    /// stopping is abandoned instead: the worker hands it back, to be resumed from its events.</summary>
    public async Task<FinishResult> FinishAsync(JobStep step)
    {
        var run = step.Job;
        using var scope = run.BeginLogScope(logger);
        try
        {
            if (step is JobFailed && run.WorkerStopping.IsCancellationRequested)
            {
                run.Owner.Tell(new JobOwner.Abandon("the worker is stopping"));
                logger.LogInformation("Job {JobId} interrupted by shutdown; it goes back on the queue", run.JobId);
                return FinishResult.None;
            }
            object ask = step switch
            {
                JobSucceeded done => new JobOwner.CompleteJob(done.FinalVideoPath, done.VoiceoverPath,
                    [.. run.Scenes.Select(s => s.VideoFile)], [.. run.Scenes.Select(s => s.ImageFile)]),
                JobFailed failed => new JobOwner.AwaitOutcome(failed.Error, JobStages.Stitch),
                _ => throw new InvalidOperationException($"{step.GetType().Name} is not a terminal step"),
            };
            var finished = await run.Owner.Ask<JobOwner.Finished>(ask, OwnerTimeout).ConfigureAwait(false);
            if (finished.Record is { Status: JobStatus.Cancelled })
            {
                // A render that finished as the cancel arrived leaves no video behind either.
                File.Delete(run.Folder.FinalVideo);
            }
            if (finished.Record is { } record)
            {
                metrics.JobFinished(record.Status.ToWire());
                logger.LogInformation("Job {JobId} {Status}{Error}", run.JobId, record.Status.ToWire(), record.Error is null ? "" : ": " + record.Error);
            }
            return new FinishResult(finished.Record);
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
        {
            // Its owner is gone (its journal failed): the job stays leased here until the lease runs out, then the
            // reaper gives it to a worker that resumes it.
            logger.LogError("The owner of job {JobId} did not answer; the job will be resumed after its lease expires", run.JobId);
            return FinishResult.None;
        }
        finally
        {
            run.Slot.Release();
        }
    }

    /// <summary>Parts an earlier run made count as done from the start.</summary>
    private static void ReportResumed(JobRun run)
    {
        foreach (var scene in run.Resumed.Images)
        {
            run.Report(JobStages.ImageGen, JobProgress.ImagePart(scene), 1);
        }
        foreach (var scene in run.Resumed.Clips)
        {
            run.Report(JobStages.ImageGen, JobProgress.ImagePart(scene), 1);
            run.Report(JobStages.VideoGen, JobProgress.ClipPart(scene), 1);
        }
        if (run.Resumed.Voiceover is not null)
        {
            run.Report(JobStages.Tts, JobProgress.VoiceoverPart, 1);
        }
    }

    /// <summary>Redis did not answer while the job was starting: pause, then put it back at the head of the queue.
    /// If Redis stays away, the job stays in the processing list, and the reaper returns it once its lease (or its
    /// grace without one) has run out.</summary>
    private async Task<StartResult> PutBackAsync(string jobId, JobLease lease, Exception fault)
    {
        logger.LogWarning("Job {JobId} could not start because Redis did not answer ({Error}); it goes back on the queue", jobId, fault.Message);
        try
        {
            // A pause first: a job put back at once would be popped again while Redis is still struggling.
            await Task.Delay(TimeSpan.FromMilliseconds(500), workerStopping).ConfigureAwait(false);
            await RedisRetry.RunAsync(
                () => store.RequeueAsync(jobId, lease),
                DecisiveWriteAttempts,
                TimeSpan.FromSeconds(1),
                TimeProvider.System,
                (ex, attempt) => logger.LogWarning("Putting job {JobId} back on the queue failed (attempt {Attempt}): {Error}", jobId, attempt, ex.Message),
                workerStopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFault.IsUnavailable(ex) || ex is OperationCanceledException)
        {
            logger.LogWarning("Job {JobId} stays in this worker's processing list for now: {Error}", jobId, ex.Message);
        }
        return StartResult.NotStarted;
    }

    private async Task<StartResult> SkipFinishedAsync(JobRecord record, JobLease lease)
    {
        logger.LogWarning("Job {JobId} was taken from the queue again but is already {Status}; it is not run again", record.JobId, record.Status.ToWire());
        try
        {
            await store.DropFromProcessingAsync(record.JobId, lease).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFault.IsUnavailable(ex))
        {
            // Left in the processing list: the reaper puts it back, and it is skipped again. Never recorded as failed.
            logger.LogWarning("Could not take finished job {JobId} off the processing list yet: {Error}", record.JobId, ex.Message);
        }
        return StartResult.NotStarted;
    }

    /// <summary>A cancel was asked for after the job left the queue and before it started: it ends cancelled here,
    /// without running (no dead letter); its webhook follows from the graph.</summary>
    private async Task<StartResult> CancelUnstartedAsync(JobRecord record, JobLease lease)
    {
        var cancelled = record with { Status = JobStatus.Cancelled, FinishedAt = TimeProvider.System.GetUtcNow(), Error = null };
        var written = await RedisRetry.RunAsync(
            () => store.FinishAsync(cancelled, null, lease),
            DecisiveWriteAttempts,
            TimeSpan.FromMilliseconds(250),
            TimeProvider.System,
            (ex, attempt) => logger.LogWarning("Recording that job {JobId} is cancelled failed (attempt {Attempt}): {Error}", record.JobId, attempt, ex.Message),
            workerStopping).ConfigureAwait(false);
        logger.LogInformation("Job {JobId} cancelled before it started", record.JobId);
        if (written)
        {
            metrics.JobFinished(cancelled.Status.ToWire());
        }
        return written ? new StartResult(null, cancelled) : StartResult.NotStarted;
    }

    /// <summary>A job that cannot start (its record is gone or unreadable, its run_id taken): fail what is left of it
    /// and take it off the processing list so it is not retried forever. Its webhook follows from the graph.</summary>
    /// <param name="claimedRunId">The run id whose guard the start claimed, named in the failed placeholder of a record
    /// that could not be read, so that the terminal write frees it.</param>
    private async Task<StartResult> RefuseAsync(string jobId, JobRecord? record, JobLease lease, string error, string? claimedRunId = null)
    {
        logger.LogError("Job {JobId} cannot start: {Error}", jobId, error);
        var now = TimeProvider.System.GetUtcNow();
        var failed = record is null
            ? new JobRecord
            {
                JobId = jobId, RunId = claimedRunId ?? "", Status = JobStatus.Failed, Stage = JobStages.Preparing, CreatedAt = now,
                FinishedAt = now, OutputDir = "", Error = error, Payload = JobJson.Null,
            }
            : record with { Status = JobStatus.Failed, Error = error, FinishedAt = now };
        try
        {
            var written = await RedisRetry.RunAsync(
                () => store.FinishAsync(failed, new DeadLetterEntry(jobId, failed.Payload, error), lease),
                DecisiveWriteAttempts,
                TimeSpan.FromMilliseconds(250),
                TimeProvider.System,
                (ex, attempt) => logger.LogWarning("Recording that job {JobId} cannot start failed (attempt {Attempt}): {Error}", jobId, attempt, ex.Message),
                workerStopping).ConfigureAwait(false);
            if (written)
            {
                metrics.JobFinished(failed.Status.ToWire());
            }
            return written && record is not null ? new StartResult(null, failed) : StartResult.NotStarted;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record that job {JobId} cannot start", jobId);
            return StartResult.NotStarted;
        }
    }

    private Task WriteManifestAsync(JobRecord record, JobRequest request, VideoFormat format, ImmutableArray<SceneTask> scenes, JobFolder folder)
    {
        var manifest = new JobManifest(
            record.JobId, request.RunId, record.CreatedAt, request.Script, request.Caption,
            request.Options.Aspect.ToWire(), format.Width, format.Height, format.Fps,
            request.Options.Voiceover ? request.Options.Voice?.WithEspeakDefault(settings.Voice).Describe() ?? settings.Voice : null,
            request.Options.Voiceover, generatorName,
            [.. scenes.Select(s => new ManifestScene(s.Index, s.Prompt.Image, s.Prompt.Video, s.DurationSeconds, s.ImageFile, s.VideoFile,
                s.Seed, s.Sources.ImageMaker(generatorName), s.Sources.ClipMaker(generatorName)))]);
        return File.WriteAllTextAsync(folder.Manifest, JsonSerializer.Serialize(manifest, JobJson.Default.JobManifest), workerStopping);
    }
}

/// <summary>The start step's result: a run; or the failed record of a job that cannot start (for its webhook); or
/// neither.</summary>
public sealed record StartResult(JobRun? Run, JobRecord? Refused = null)
{
    public static StartResult NotStarted { get; } = new((JobRun?)null);
}

/// <summary>The finish step's result: the terminal record, or none when nothing was recorded.</summary>
public sealed record FinishResult(JobRecord? Record)
{
    public static FinishResult None { get; } = new((JobRecord?)null);
}

/// <summary>An earlier run of the job journaled its failure but died before recording it.</summary>
internal sealed class JobAlreadyFailedException(string reason) : Exception(reason);
