using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;

namespace VideoAkka.Http;

/// <summary>One kind of error the API answers: its type URI's last segment, HTTP status, title, and what it means to a
/// client (shown in the API reference). Each instance's detail says what to change in that one request.</summary>
public sealed record ProblemType(string Name, int Status, string Title, string Meaning)
{
    public const string TypeBase = "https://videoakka.dev/problems/";

    public string Uri => TypeBase + Name;
}

/// <summary>
/// Every problem type of <see cref="Problems"/>, in one list: <see cref="Problems"/> makes its bodies from these, and
/// the OpenAPI document lists them (ApiReferenceSpecs checks that every type Problems can produce is here).
/// </summary>
public static class ProblemTypes
{
    public static readonly ProblemType MalformedJson = new("malformed-json", StatusCodes.Status400BadRequest, "The body is not valid JSON",
        "The body could not be read as one JSON object: invalid UTF-8 or JSON, a byte order mark, a property given twice, nesting over 32, or a property name that is not valid Unicode.");

    public static readonly ProblemType InvalidRequest = new("invalid-request", StatusCodes.Status400BadRequest, "The request is not a valid job",
        "The JSON is well formed but not a valid job; `errors` maps each field (such as `prompts[2].duration`) to what is wrong with it.");

    public static readonly ProblemType InvalidJobUpdate = new("invalid-job-update", StatusCodes.Status400BadRequest, "The body is not a valid job update",
        "A frontend job update must be exactly `{\"job_id\", \"status\"}` with a known status; `errors` names each field that is wrong.");

    public static readonly ProblemType BodyTooComplex = new("body-too-complex", StatusCodes.Status400BadRequest, "The body holds too many JSON values",
        "More than 10 000 JSON values in one body; a job needs some hundreds.");

    public static readonly ProblemType InvalidQuery = new("invalid-query", StatusCodes.Status400BadRequest, "The query is not valid",
        "A query parameter (`status`, `limit`, `cursor`) is not one the route accepts; `errors` names it.");

    public static readonly ProblemType InvalidLastEventId = new("invalid-last-event-id", StatusCodes.Status400BadRequest, "Last-Event-ID is not an event id of this stream",
        "The Last-Event-ID header is not an id this event stream gave (such as 1764520000000-0).");

    public static readonly ProblemType ApiKeyRequired = new("api-key-required", StatusCodes.Status401Unauthorized, "An API key is required",
        "API keys are set (VIDEOAKKA_API_KEY) and the request has none of them in its X-API-Key header.");

    public static readonly ProblemType UnknownJob = new("unknown-job", StatusCodes.Status404NotFound, "No such job",
        "No job has this id (or its record has expired); anything that is not a job id this service gave is answered the same way.");

    public static readonly ProblemType VideoGone = new("video-gone", StatusCodes.Status404NotFound, "The video file is gone",
        "The job completed but its video is no longer on disk, or a later job with the same run_id (`later_job_id`) has reused its folder.");

    public static readonly ProblemType UnknownScene = new("unknown-scene", StatusCodes.Status404NotFound, "No such scene",
        "The job has no scene with this number; scenes are numbered from 1 in the order of its `prompts`.");

    public static readonly ProblemType ThumbnailNotReady = new("thumbnail-not-ready", StatusCodes.Status404NotFound, "The scene's image is not made yet",
        "The scene's image has not been made (or not completely written) yet; ask again when the job's progress moves.");

    public static readonly ProblemType RunIdBusy = new("run-id-busy", StatusCodes.Status409Conflict, "The run id already has a job in progress",
        "Another job with the same run_id is queued or running (`existing_job_id`); wait for it or use another run_id.");

    public static readonly ProblemType VideoNotReady = new("video-not-ready", StatusCodes.Status409Conflict, "The video is not ready",
        "The job is not completed yet (`job_status` says what it is); download the video once it is.");

    public static readonly ProblemType JobFinished = new("job-finished", StatusCodes.Status409Conflict, "The job has already finished",
        "The job completed or failed (`job_status`): there is nothing left to cancel.");

    public static readonly ProblemType JobNotRetryable = new("job-not-retryable", StatusCodes.Status409Conflict, "Only a failed or cancelled job can be retried",
        "The job is running or completed (`job_status`).");

    public static readonly ProblemType JobRecordUnreadable = new("job-record-unreadable", StatusCodes.Status409Conflict, "The job's record cannot be read",
        "The job's record in Redis was not written by this service (edited by hand or by another program); nothing was changed.");

    public static readonly ProblemType BodyTooLarge = new("body-too-large", StatusCodes.Status413PayloadTooLarge, "The body is too large",
        "The body is over 1 MiB (with or without Content-Length).");

    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", StatusCodes.Status415UnsupportedMediaType, "The body must be JSON",
        "The Content-Type is not JSON (application/json, text/json or application/*+json, UTF-8). No Content-Type at all is read as JSON.");

    public static readonly ProblemType QueueFull = new("queue-full", StatusCodes.Status429TooManyRequests, "The queue is full",
        "videoakka.api.max-queue-length jobs are already waiting; nothing was written. Try again after Retry-After seconds.");

    public static readonly ProblemType QueueUnavailable = new("queue-unavailable", StatusCodes.Status503ServiceUnavailable, "The job queue is unavailable",
        "Redis cannot be reached (the reason never names its endpoint or a password). Try again after Retry-After seconds.");

    public static readonly ProblemType EmbeddedRedisRestarting = new("embedded-redis-restarting", StatusCodes.Status503ServiceUnavailable, "The embedded Redis is restarting",
        "The redis-server the service runs itself stopped and is being started again with its data. Try again after Retry-After seconds.");

    public static readonly ProblemType ServiceStopping = new("service-stopping", StatusCodes.Status503ServiceUnavailable, "The service is stopping",
        "This instance is shutting down (every route but /healthz/live answers this while its worker drains). Try again after Retry-After seconds, on another instance or this one once it is back.");

    public static ImmutableArray<ProblemType> All { get; } =
    [
        MalformedJson, InvalidRequest, InvalidJobUpdate, BodyTooComplex, InvalidQuery, InvalidLastEventId, ApiKeyRequired, UnknownJob, VideoGone, UnknownScene, ThumbnailNotReady, RunIdBusy,
        VideoNotReady, JobFinished, JobNotRetryable, JobRecordUnreadable, BodyTooLarge, UnsupportedMediaType, QueueFull, QueueUnavailable,
        EmbeddedRedisRestarting, ServiceStopping,
    ];
}
