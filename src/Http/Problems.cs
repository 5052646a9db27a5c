using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Http;

/// <summary>Every error the API gives, as an RFC 7807 problem+json body: a stable type URI, a title, and a detail
/// that says what to change. Never a stack trace.</summary>
public static class Problems
{
    private const string TypeBase = "https://videoakka.dev/problems/";

    public static ProblemHttpResult MalformedJson(string detail) =>
        Make(StatusCodes.Status400BadRequest, "malformed-json", "The body is not valid JSON", detail);

    public static ProblemHttpResult Invalid(IReadOnlyList<ValidationError> errors) =>
        Make(StatusCodes.Status400BadRequest, "invalid-request", "The request is not a valid job",
            string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")),
            new Dictionary<string, object?>
            {
                ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            });

    public static ProblemHttpResult InvalidJobUpdate(IReadOnlyList<ValidationError> errors) =>
        Make(StatusCodes.Status400BadRequest, "invalid-job-update", "The body is not a valid job update",
            string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")),
            new Dictionary<string, object?>
            {
                ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            });

    public static ProblemHttpResult TooManyValues(int limit) =>
        Make(StatusCodes.Status400BadRequest, "body-too-complex", "The body holds too many JSON values",
            $"A job request may hold at most {limit} JSON values (strings, numbers, lists, objects); a job needs far fewer.");

    public static ProblemHttpResult UnsupportedMediaType(string contentType) =>
        Make(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The body must be JSON",
            $"Send the job as UTF-8 JSON with Content-Type: application/json (got \"{Truncate(contentType)}\").");

    public static ProblemHttpResult TooLarge(long limit) =>
        Make(StatusCodes.Status413PayloadTooLarge, "body-too-large", "The body is too large", $"A job request may be at most {limit} bytes.");

    public static ProblemHttpResult RunIdBusy(string runId, string existingJobId) =>
        Make(StatusCodes.Status409Conflict, "run-id-busy", "The run id already has a job in progress",
            $"run_id \"{runId}\" has job {existingJobId} queued or running; wait for it to finish or use another run_id.",
            new Dictionary<string, object?> { ["existing_job_id"] = existingJobId });

    public static ProblemHttpResult UnknownJob(string jobId) =>
        Make(StatusCodes.Status404NotFound, "unknown-job", "No such job", $"There is no job \"{Truncate(jobId)}\".");

    /// <summary>The job's status goes in "job_status": "status" is the problem's own HTTP status code (RFC 7807).</summary>
    public static ProblemHttpResult NotCompleted(string jobId, JobStatus status) =>
        Make(StatusCodes.Status409Conflict, "video-not-ready", "The video is not ready",
            $"Job {jobId} is {status.ToWire()}; the video can be downloaded once it is completed.",
            new Dictionary<string, object?> { ["job_status"] = status.ToWire() });

    public static ProblemHttpResult VideoGone(string jobId) =>
        Make(StatusCodes.Status404NotFound, "video-gone", "The video file is gone", $"Job {jobId} completed, but its video is no longer on disk.");

    public static ProblemHttpResult RunReused(string jobId, string runId, string laterJobId) =>
        Make(StatusCodes.Status404NotFound, "video-gone", "The video file is gone",
            $"Job {jobId} completed, but job {laterJobId} has since used run_id \"{runId}\" and its folder.",
            new Dictionary<string, object?> { ["later_job_id"] = laterJobId });

    public static ProblemHttpResult AlreadyFinished(string jobId, JobStatus status) =>
        Make(StatusCodes.Status409Conflict, "job-finished", "The job has already finished",
            $"Job {jobId} is {status.ToWire()}: there is nothing left to cancel.",
            new Dictionary<string, object?> { ["job_status"] = status.ToWire() });

    public static ProblemHttpResult NotRetryable(string jobId, JobStatus status) =>
        Make(StatusCodes.Status409Conflict, "job-not-retryable", "Only a failed or cancelled job can be retried",
            $"Job {jobId} is {status.ToWire()}.",
            new Dictionary<string, object?> { ["job_status"] = status.ToWire() });

    /// <param name="response">Given, it gets a Retry-After header.</param>
    public static ProblemHttpResult QueueUnavailable(HttpResponse? response = null)
    {
        RetryLater(response);
        return Make(StatusCodes.Status503ServiceUnavailable, "queue-unavailable", "The job queue is unavailable", "Redis cannot be reached; try again shortly.");
    }

    /// <summary>The redis-server the service runs itself died and is being started again (its data is kept).</summary>
    public static ProblemHttpResult EmbeddedRedisRestarting(HttpResponse response)
    {
        RetryLater(response);
        return Make(StatusCodes.Status503ServiceUnavailable, "embedded-redis-restarting", "The embedded Redis is restarting",
            "The service's own redis-server stopped and is being started again on the same port, with its data; try again shortly.");
    }

    public static ProblemHttpResult BadLastEventId() =>
        Make(StatusCodes.Status400BadRequest, "invalid-last-event-id", "Last-Event-ID is not an event id of this stream",
            "Send back the id of the last event received (such as 1764520000000-0), or no Last-Event-ID.");

    public static ProblemHttpResult UnreadableRecord(string jobId) =>
        Make(StatusCodes.Status409Conflict, "job-record-unreadable", "The job's record cannot be read",
            $"The record of job {jobId} in Redis is not one this service wrote; nothing was changed.");

    public static ProblemHttpResult Stopping(HttpResponse response)
    {
        RetryLater(response);
        return Make(StatusCodes.Status503ServiceUnavailable, "service-stopping", "The service is stopping",
            "This instance is shutting down; try again shortly (another instance, or this one once it is back).");
    }

    public static ProblemHttpResult QueueFull(int limit, HttpResponse response)
    {
        RetryLater(response);
        return Make(StatusCodes.Status429TooManyRequests, "queue-full", "The queue is full",
            $"{limit} jobs are waiting already (videoakka.api.max-queue-length); try again later.");
    }

    public static ProblemHttpResult BadQuery(string parameter, string message) =>
        Make(StatusCodes.Status400BadRequest, "invalid-query", "The query is not valid", $"{parameter} {message}.",
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [parameter] = [message] } });

    public static ProblemHttpResult MissingApiKey() =>
        Make(StatusCodes.Status401Unauthorized, "api-key-required", "An API key is required",
            $"Send one of this service's API keys in the {ApiKeys.Header} header.");

    private static void RetryLater(HttpResponse? response)
    {
        if (response is not null)
        {
            response.Headers.RetryAfter = ((int)HttpSettings.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static ProblemHttpResult Make(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + type, extensions: extensions);

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
