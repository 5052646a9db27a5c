using System.Text.Json.Serialization;

namespace VideoAkka.Http;

/// <summary>
/// What an open page receives as a <c>job-update</c> event when n8n posts to /frontend/webhook/job-update: the seed's
/// <c>{job_id, status}</c> and when this service received it. The web page reads exactly these names.
/// </summary>
public sealed record FrontendNotice(string JobId, string Status, DateTimeOffset ReceivedAt);

/// <summary>The answer to a notice taken: the job, the status told, and the event id it went out under (the id a page
/// that resumes with Last-Event-ID passes).</summary>
public sealed record FrontendNoticeAck(string JobId, string Status, string EventId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FrontendNotice))]
[JsonSerializable(typeof(FrontendNoticeAck))]
public sealed partial class FrontendNoticeJson : JsonSerializerContext;
