using System.Collections;
using Microsoft.Extensions.Logging;

namespace VideoAkka.Pipeline.Telemetry;

/// <summary>
/// The logging scope of one job's work: every line logged inside it carries job_id and run_id (as fields of the JSON
/// log's scope; the text log leaves scopes out and keeps its one-line form). A list of pairs, which is what the
/// console formatters write as fields rather than as text.
/// </summary>
public sealed class JobLogScope(string jobId, string? runId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string JobIdField = "job_id";
    public const string RunIdField = "run_id";

    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(JobIdField, jobId),
        1 => new(RunIdField, runId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"job {jobId} run {runId}";
}

public static class JobLogScopes
{
    /// <summary>Opens the job's scope on this logger: dispose it when the job's unit of work ends.</summary>
    public static IDisposable? BeginJobScope(this ILogger logger, string jobId, string? runId) => logger.BeginScope(new JobLogScope(jobId, runId));
}
