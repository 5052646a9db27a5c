using System.Text.Json.Serialization;

namespace VideoAkka.Http;

/// <summary>The body of 202 Accepted from POST /orchestrate/start: the seed's {"job_id", "status": "queued"}; also what cancel
/// (status "cancelled" or "cancelling") and retry ("queued") answer.</summary>
public sealed record StartResponse(string JobId, string Status);

/// <summary>One job in GET /orchestrate/jobs: the record without its payload.</summary>
public sealed record JobSummary(string JobId, string RunId, VideoAkka.Pipeline.Jobs.JobStatus Status, string Stage, double Progress,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error);

/// <summary>A page of jobs, newest first; next_cursor (null on the last page) asks for the next.</summary>
public sealed record JobListResponse(IReadOnlyList<JobSummary> Jobs, string? NextCursor);

/// <summary>A page of the dead letter, newest first: the seed's {job_id, payload, error} entries.</summary>
public sealed record DeadLetterResponse(IReadOnlyList<VideoAkka.Pipeline.Jobs.DeadLetterEntry> Entries, string? NextCursor, long Total);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StartResponse))]
[JsonSerializable(typeof(JobListResponse))]
[JsonSerializable(typeof(DeadLetterResponse))]
[JsonSerializable(typeof(VideoLinkResponse))]
public sealed partial class ApiJson : JsonSerializerContext;
