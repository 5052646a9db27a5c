using System.Collections.Immutable;
using System.Text.Json.Serialization;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Notify;

/// <summary>The seed's webhook body: {"event", "timestamp" (unix seconds, fractional), "data"}.</summary>
public sealed record WebhookPayload(string Event, double Timestamp, WebhookData Data)
{
    public const string JobCompleted = "job_completed";
    public const string JobFailed = "job_failed";
    public const string JobCancelled = "job_cancelled";

    public static WebhookPayload For(JobRecord record, DateTimeOffset now) => new(
        record.Status switch
        {
            JobStatus.Completed => JobCompleted,
            JobStatus.Cancelled => JobCancelled,
            _ => JobFailed,
        },
        Math.Round(now.ToUnixTimeMilliseconds() / 1000.0, 3),
        new WebhookData(
            record.JobId,
            record.Status,
            record.RunId,
            record.OutputDir,
            record.Status == JobStatus.Completed ? record.FinalVideoPath : null,
            record.Status == JobStatus.Failed ? record.Error ?? "failed" : null,
            record.VideoFiles,
            record.ImageFiles,
            record.VoiceoverPath));
}

/// <summary>The "data" object: final_video_path only for completed jobs, error only for failed ones.</summary>
public sealed record WebhookData(
    string JobId,
    JobStatus Status,
    string RunId,
    string OutputDir,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FinalVideoPath,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    ImmutableArray<string> VideoFiles,
    ImmutableArray<string> ImageFiles,
    string? VoiceoverPath);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WebhookPayload))]
public sealed partial class WebhookJson : JsonSerializerContext;
