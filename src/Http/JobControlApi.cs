using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Http;

/// <summary>
/// POST /orchestrate/cancel/{job_id} and POST /orchestrate/retry/{job_id}. Both are idempotent: a second cancel of a
/// cancelled job answers as the first did; a retry of a job already queued again answers as the retry did.
/// </summary>
public static class JobControlApi
{
    /// <summary>How long a cancel waits for the worker running the job to stop it before answering 202.</summary>
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(10);

    /// <summary>A record that moves on while we act on it is read again, a few times at most.</summary>
    private const int Reads = 3;

    public static async Task<Results<Ok<StartResponse>, Accepted<StartResponse>, ProblemHttpResult>> CancelAsync(
        string job_id, IJobStore store, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!OrchestrateApi.IsJobId(job_id))
        {
            return Problems.UnknownJob(job_id);
        }
        try
        {
            for (var read = 0; read < Reads; read++)
            {
                var json = await store.GetJsonAsync(job_id);
                var record = json is null ? null : JobJson.DeserializeRecord(json);
                switch (record?.Status)
                {
                    case null:
                        return Problems.UnknownJob(job_id);
                    case JobStatus.Cancelled:
                        return TypedResults.Ok(Cancelled(job_id));
                    case JobStatus.Completed or JobStatus.Failed:
                        return Problems.AlreadyFinished(job_id, record.Status);
                    case JobStatus.Queued:
                        var cancelled = record with { Status = JobStatus.Cancelled, FinishedAt = clock.GetUtcNow(), Error = null };
                        if (await store.CancelQueuedAsync(json!, cancelled))
                        {
                            return TypedResults.Ok(Cancelled(job_id)); // its webhook is in the outbox
                        }
                        // Popped meanwhile (or changed): its worker cancels it as it starts.
                        return await AskWorkerAsync(job_id, store, clock, cancellationToken);
                    case JobStatus.Running:
                        return await AskWorkerAsync(job_id, store, clock, cancellationToken);
                }
            }
            return await AskWorkerAsync(job_id, store, clock, cancellationToken);
        }
        catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
        {
            return Problems.QueueUnavailable(response);
        }
        catch (System.Text.Json.JsonException)
        {
            return Problems.UnreadableRecord(job_id);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left while we waited for the worker; the cancel goes on without it.
            return TypedResults.Accepted($"/orchestrate/status/{job_id}", new StartResponse(job_id, "cancelling"));
        }
    }

    public static async Task<Results<Accepted<StartResponse>, ProblemHttpResult>> RetryAsync(string job_id, IJobStore store, HttpSettings settings, HttpResponse response)
    {
        if (!OrchestrateApi.IsJobId(job_id))
        {
            return Problems.UnknownJob(job_id);
        }
        try
        {
            for (var read = 0; read < Reads; read++)
            {
                var json = await store.GetJsonAsync(job_id);
                var record = json is null ? null : JobJson.DeserializeRecord(json);
                switch (record?.Status)
                {
                    case null:
                        return Problems.UnknownJob(job_id);
                    case JobStatus.Queued:
                        return Queued(job_id); // retried already
                    case JobStatus.Running or JobStatus.Completed:
                        return Problems.NotRetryable(job_id, record.Status);
                }
                var queued = record! with
                {
                    Status = JobStatus.Queued,
                    Stage = JobStages.Queued,
                    Progress = 0,
                    StartedAt = null,
                    FinishedAt = null,
                    Error = null,
                    FinalVideoPath = null,
                    VideoFiles = [],
                    ImageFiles = [],
                    VoiceoverPath = null,
                    Webhook = null,
                };
                switch (await store.RetryAsync(json!, queued, settings.MaxQueueLength))
                {
                    case RetryOutcome.QueueFull:
                        return Problems.QueueFull(settings.MaxQueueLength, response);
                    case RetryOutcome.Queued:
                        return Queued(job_id);
                    case RetryOutcome.RunIdBusy busy:
                        return Problems.RunIdBusy(record.RunId, busy.ExistingJobId);
                }
            }
            return Problems.NotRetryable(job_id, JobStatus.Running);
        }
        catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
        {
            return Problems.QueueUnavailable(response);
        }
        catch (System.Text.Json.JsonException)
        {
            return Problems.UnreadableRecord(job_id);
        }
    }

    /// <summary>The job is (or is about to be) running on a worker: ask it to stop the job, and wait a little for it.</summary>
    private static async Task<Results<Ok<StartResponse>, Accepted<StartResponse>, ProblemHttpResult>> AskWorkerAsync(
        string jobId, IJobStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        await store.RequestCancelAsync(jobId);
        var giveUpAt = clock.GetUtcNow() + CancelWait;
        while (clock.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
            var record = await store.GetAsync(jobId);
            switch (record?.Status)
            {
                case JobStatus.Cancelled:
                    return TypedResults.Ok(Cancelled(jobId));
                case JobStatus.Completed or JobStatus.Failed:
                    return Problems.AlreadyFinished(jobId, record.Status);
            }
        }
        return TypedResults.Accepted($"/orchestrate/status/{jobId}", new StartResponse(jobId, "cancelling"));
    }

    private static StartResponse Cancelled(string jobId) => new(jobId, JobStatus.Cancelled.ToWire());

    private static Accepted<StartResponse> Queued(string jobId) =>
        TypedResults.Accepted($"/orchestrate/status/{jobId}", new StartResponse(jobId, JobStatus.Queued.ToWire()));
}
