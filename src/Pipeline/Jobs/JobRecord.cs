using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using VideoAkka.Pipeline.Media.Qc;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// The job record stored as JSON at <c>video_orchestrator:job:{job_id}</c> and returned by GET /orchestrate/status.
/// Field names are the seed's snake_case names (see <see cref="JobJson"/>); n8n workflows and frontends read them.
/// </summary>
public sealed record JobRecord
{
    public required string JobId { get; init; }
    public required string RunId { get; init; }
    public required JobStatus Status { get; init; }
    /// <summary>The stage running now (see <see cref="JobStages"/>).</summary>
    public required string Stage { get; init; }
    /// <summary>Fraction of the job's work done, 0..1.</summary>
    public double Progress { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }
    public required string OutputDir { get; init; }
    public string? FinalVideoPath { get; init; }
    /// <summary>File names (not paths) of the clips, in scene order, as in the seed's webhook example.</summary>
    public ImmutableArray<string> VideoFiles { get; init; } = [];
    /// <summary>File names (not paths) of the images, in scene order.</summary>
    public ImmutableArray<string> ImageFiles { get; init; } = [];
    public string? VoiceoverPath { get; init; }
    /// <summary>The request body as the client sent it (after validation): the worker reads the job from it,
    /// and a dead-letter entry carries it.</summary>
    [JsonConverter(typeof(RawJsonConverter))]
    public required JsonElement Payload { get; init; }

    /// <summary>Quality control of the render (see <see cref="QcReport"/>): each check's measured value, limit and
    /// verdict. Absent until the render is checked, and in records written before quality control existed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QcReport? Qc { get; init; }

    /// <summary>The delivery of the outcome's webhook; absent until it is first tried.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WebhookState? Webhook { get; init; }

    public static JobRecord Queued(string jobId, string runId, string outputDir, JsonElement payload, DateTimeOffset now) =>
        QueuedBorrowing(jobId, runId, outputDir, payload.Clone(), now);

    /// <summary>A queued record that borrows <paramref name="payload"/> from its document instead of copying it: only
    /// for a record used and dropped while that document is alive (the submit route serializes it to Redis at once;
    /// copying the body cost a tenth of what a submit allocated).</summary>
    public static JobRecord QueuedBorrowing(string jobId, string runId, string outputDir, JsonElement payload, DateTimeOffset now) => new()
    {
        JobId = jobId,
        RunId = runId,
        Status = JobStatus.Queued,
        Stage = JobStages.Queued,
        Progress = 0,
        CreatedAt = now,
        OutputDir = outputDir,
        Payload = payload,
    };
}
