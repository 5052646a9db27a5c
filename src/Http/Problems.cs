using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Http;

/// <summary>Every error the API gives, as an RFC 7807 problem+json body: a stable type URI, a title, and a detail
/// that says what to change. Never a stack trace. The types themselves are listed in <see cref="ProblemTypes"/>.</summary>
public static class Problems
{
    public static ProblemHttpResult MalformedJson(string detail) =>
        Make(ProblemTypes.MalformedJson, detail);

    public static ProblemHttpResult Invalid(IReadOnlyList<ValidationError> errors) => FieldErrors(ProblemTypes.InvalidRequest, errors);

    public static ProblemHttpResult InvalidJobUpdate(IReadOnlyList<ValidationError> errors) => FieldErrors(ProblemTypes.InvalidJobUpdate, errors);

    /// <summary>A body whose fields are wrong: every error in the detail, and `errors` mapping each field to its messages.</summary>
    private static ProblemHttpResult FieldErrors(ProblemType type, IReadOnlyList<ValidationError> errors) =>
        Make(type,
            string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")),
            new Dictionary<string, object?>
            {
                ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            });

    public static ProblemHttpResult TooManyValues(int limit) =>
        Make(ProblemTypes.BodyTooComplex,
            $"A job request may hold at most {limit} JSON values (strings, numbers, lists, objects); a job needs far fewer.");

    public static ProblemHttpResult UnsupportedMediaType(string contentType) =>
        Make(ProblemTypes.UnsupportedMediaType,
            $"Send the job as UTF-8 JSON with Content-Type: application/json (got \"{Truncate(contentType)}\").");

    public static ProblemHttpResult TooLarge(long limit) =>
        Make(ProblemTypes.BodyTooLarge, $"A job request may be at most {limit} bytes.");

    public static ProblemHttpResult RunIdBusy(string runId, string existingJobId) =>
        Make(ProblemTypes.RunIdBusy,
            $"run_id \"{runId}\" has job {existingJobId} queued or running; wait for it to finish or use another run_id.",
            new Dictionary<string, object?> { ["existing_job_id"] = existingJobId });

    public static ProblemHttpResult UnknownJob(string jobId) =>
        Make(ProblemTypes.UnknownJob, $"There is no job \"{Truncate(jobId)}\".");

    /// <summary>The job's status goes in "job_status": "status" is the problem's own HTTP status code (RFC 7807).</summary>
    public static ProblemHttpResult NotCompleted(string jobId, JobStatus status) =>
        Make(ProblemTypes.VideoNotReady,
            $"Job {jobId} is {status.ToWire()}; the video can be downloaded once it is completed.",
            new Dictionary<string, object?> { ["job_status"] = status.ToWire() });

    public static ProblemHttpResult VideoGone(string jobId) =>
        Make(ProblemTypes.VideoGone, $"Job {jobId} completed, but its video is no longer on disk.");

    public static ProblemHttpResult RunReused(string jobId, string runId, string laterJobId) =>
        Make(ProblemTypes.VideoGone,
            $"Job {jobId} completed, but job {laterJobId} has since used run_id \"{runId}\" and its folder.",
            new Dictionary<string, object?> { ["later_job_id"] = laterJobId });

    public static ProblemHttpResult UnknownScene(string jobId, int scenes) =>
        Make(ProblemTypes.UnknownScene,
            $"Job {jobId} has {scenes} scene(s), numbered from 1.");

    public static ProblemHttpResult ThumbnailNotReady(string jobId, int scene) =>
        Make(ProblemTypes.ThumbnailNotReady,
            $"Scene {scene} of job {jobId} has no image yet; ask again when the job's progress moves.");

    public static ProblemHttpResult AlreadyFinished(string jobId, JobStatus status) =>
        Make(ProblemTypes.JobFinished,
            $"Job {jobId} is {status.ToWire()}: there is nothing left to cancel.",
            new Dictionary<string, object?> { ["job_status"] = status.ToWire() });

    public static ProblemHttpResult NotRetryable(string jobId, JobStatus status) =>
        Make(ProblemTypes.JobNotRetryable,
            $"Job {jobId} is {status.ToWire()}.",
            new Dictionary<string, object?> { ["job_status"] = status.ToWire() });

    /// <param name="response">Given, it gets a Retry-After header.</param>
    public static ProblemHttpResult QueueUnavailable(HttpResponse? response = null)
    {
        RetryLater(response);
        return Make(ProblemTypes.QueueUnavailable, "Redis cannot be reached; try again shortly.");
    }

    /// <summary>The redis-server the service runs itself died and is being started again (its data is kept).</summary>
    public static ProblemHttpResult EmbeddedRedisRestarting(HttpResponse response)
    {
        RetryLater(response);
        return Make(ProblemTypes.EmbeddedRedisRestarting,
            "The service's own redis-server stopped and is being started again on the same port, with its data; try again shortly.");
    }

    public static ProblemHttpResult BadLastEventId() =>
        Make(ProblemTypes.InvalidLastEventId,
            "Send back the id of the last event received (such as 1764520000000-0), or no Last-Event-ID.");

    public static ProblemHttpResult UnreadableRecord(string jobId) =>
        Make(ProblemTypes.JobRecordUnreadable,
            $"The record of job {jobId} in Redis is not one this service wrote; nothing was changed.");

    public static ProblemHttpResult Stopping(HttpResponse response)
    {
        RetryLater(response);
        return Make(ProblemTypes.ServiceStopping,
            "This instance is shutting down; try again shortly (another instance, or this one once it is back).");
    }

    public static ProblemHttpResult QueueFull(int limit, HttpResponse response)
    {
        RetryLater(response);
        return Make(ProblemTypes.QueueFull,
            $"{limit} jobs are waiting already (videoakka.api.max-queue-length); try again later.");
    }

    public static ProblemHttpResult BadQuery(string parameter, string message) =>
        Make(ProblemTypes.InvalidQuery, $"{parameter} {message}.",
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [parameter] = [message] } });

    public static ProblemHttpResult MissingApiKey() =>
        Make(ProblemTypes.ApiKeyRequired,
            $"Send one of this service's API keys in the {ApiKeys.Header} header.");

    private static void RetryLater(HttpResponse? response)
    {
        if (response is not null)
        {
            response.Headers.RetryAfter = ((int)HttpSettings.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static ProblemHttpResult Make(ProblemType type, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: type.Status, title: type.Title, type: type.Uri, extensions: extensions);

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
