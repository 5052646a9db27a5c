using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VideoAkka.Http.OpenApi;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Http;

/// <summary>The seed's endpoints (submit a job, read its status, download its video) and job control (cancel, retry).</summary>
public static class OrchestrateApi
{
    public static RouteGroupBuilder MapOrchestrateApi(this IEndpointRouteBuilder app)
    {
        var keys = app.ServiceProvider.GetRequiredService<ApiKeys>();
        var api = app.MapGroup("/orchestrate");
        api.AddEndpointFilter(keys.FilterAsync);
        api.DescribeOrchestrateGroup();
        api.MapPost("/start", StartAsync).DescribeStart();
        api.MapGet("/status/{job_id}", StatusAsync).DescribeStatus();
        // A <video> cannot send the key: both video routes also take a token from the link route (see VideoTokens).
        api.MapGet("/video/{job_id}", VideoAsync).WithMetadata(AcceptsVideoToken.Instance).DescribeVideo();
        api.MapMethods("/video/{job_id}", [HttpMethods.Head], VideoAsync).WithMetadata(AcceptsVideoToken.Instance)
            .DescribeVideoHead(); // the length, for players and download managers
        api.MapPost("/video/{job_id}/link", VideoLinkApi.Link).DescribeVideoLink();
        api.MapGet("/jobs/{job_id}/scenes/{index}/thumbnail", SceneThumbnailApi.ThumbnailAsync).DescribeSceneThumbnail();
        api.MapPost("/cancel/{job_id}", JobControlApi.CancelAsync).DescribeCancel();
        api.MapPost("/retry/{job_id}", JobControlApi.RetryAsync).DescribeRetry();
        api.MapGet("/jobs", JobListApi.JobsAsync).DescribeJobs();
        api.MapGet("/dead-letter", JobListApi.DeadLetterAsync).DescribeDeadLetter();
        // The hub runs where the API runs; a worker-only process maps no /orchestrate routes.
        api.MapGet("/events", JobEventsApi.AllAsync).DescribeAllEvents();
        api.MapGet("/events/{job_id}", JobEventsApi.JobAsync).DescribeJobEvents();
        return api;
    }

    public static async Task<Results<Accepted<StartResponse>, ProblemHttpResult>> StartAsync(
        HttpRequest request, IJobStore store, HttpSettings settings, TimeProvider clock)
    {
        var response = request.HttpContext.Response;
        if (!JsonMediaType.IsAcceptable(request.ContentType))
        {
            return Problems.UnsupportedMediaType(request.ContentType!);
        }
        var body = await RequestBody.ReadAsync(request, settings.MaxBodyBytes, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return Problems.TooLarge(settings.MaxBodyBytes);
        }

        var document = RequestJson.Parse(body, out var refusal);
        if (document is null)
        {
            return refusal!;
        }

        using (document)
        {
            var jobId = Guid.NewGuid().ToString();
            var parsed = JobRequestParser.Parse(document.RootElement, defaultRunId: jobId, settings.AllowPrivateImageUrls, settings.Voices,
                settings.Music is { } music ? music.Contains : null);
            if (!parsed.IsValid)
            {
                return Problems.Invalid(parsed.Errors);
            }
            var runId = parsed.Request!.RunId;
            // Serialized to Redis inside this block: the record may borrow the document's payload.
            var record = JobRecord.QueuedBorrowing(jobId, runId, JobFolder.For(settings.DataRoot, runId).Path, document.RootElement, clock.GetUtcNow());
            try
            {
                return await store.SubmitAsync(record, settings.MaxQueueLength) switch
                {
                    SubmitOutcome.Queued => TypedResults.Accepted($"/orchestrate/status/{jobId}", new StartResponse(jobId, JobStatus.Queued.ToWire())),
                    SubmitOutcome.RunIdBusy busy => Problems.RunIdBusy(runId, busy.ExistingJobId),
                    SubmitOutcome.QueueFull => Problems.QueueFull(settings.MaxQueueLength, response),
                    _ => throw new InvalidOperationException("unknown submit outcome"),
                };
            }
            catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
            {
                return Problems.QueueUnavailable(response);
            }
        }
    }

    public static async Task<Results<Utf8JsonResult, ProblemHttpResult>> StatusAsync(string job_id, IJobStore store, HttpResponse response)
    {
        if (!IsJobId(job_id))
        {
            return Problems.UnknownJob(job_id);
        }
        try
        {
            var json = await store.GetLiveJsonAsync(job_id);
            return json is null ? Problems.UnknownJob(job_id) : new Utf8JsonResult(json);
        }
        catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
        {
            return Problems.QueueUnavailable(response);
        }
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> VideoAsync(string job_id, IJobStore store, HttpSettings settings, HttpResponse response)
    {
        var (record, problem) = await JobRecordReader.ReadAsync(job_id, store, response);
        if (record is null)
        {
            return problem!;
        }
        if (record.Status != JobStatus.Completed)
        {
            return Problems.NotCompleted(job_id, record.Status);
        }
        // The path comes from our own record, but is still only served from inside the data folder.
        var path = record.FinalVideoPath;
        if (path is null || !JobFolder.IsInside(settings.DataRoot, path) || !File.Exists(path))
        {
            return Problems.VideoGone(job_id);
        }
        // A later job with the same run_id works in the same folder: the video there is then not this job's.
        if (await new JobFolder(Path.GetDirectoryName(path)!).ManifestJobIdAsync() is { } owner && owner != job_id)
        {
            return Problems.RunReused(job_id, record.RunId, owner);
        }
        return TypedResults.PhysicalFile(path, "video/mp4", enableRangeProcessing: true);
    }

    /// <summary>Job ids are ours (UUIDs); anything else cannot name a job, and is not sent on to Redis.</summary>
    internal static bool IsJobId(string text) => text.Length == 36 && Guid.TryParseExact(text, "D", out _);
}
