namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// What changed in a job, as live subscribers see it (GET /orchestrate/events): its status, stage and progress, and
/// the reason it failed. One is appended to the updates stream in the same script as every write of the job's state.
/// </summary>
public sealed record JobUpdate(string JobId, string RunId, JobStatus Status, string Stage, double Progress, string? Error)
{
    public static JobUpdate Of(JobRecord record) =>
        new(record.JobId, record.RunId, record.Status, record.Stage, record.Progress, record.Error);

    public bool IsTerminal => Status.IsTerminal();

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, JobJson.Default.JobUpdate);
}
