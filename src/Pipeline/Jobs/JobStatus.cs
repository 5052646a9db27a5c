using System.Text.Json.Serialization;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>The lifecycle of a job, written to the job record as lower-case strings (the seed's values).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>Stopped on request (POST /orchestrate/cancel): not a failure, no dead letter.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>The wire names of <see cref="JobStatus"/>, kept in one place so the record and the webhook agree.</summary>
public static class JobStatusNames
{
    public static string ToWire(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Running => "running",
        JobStatus.Completed => "completed",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool IsTerminal(this JobStatus status) => status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}
