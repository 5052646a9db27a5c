using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace VideoAkka.Pipeline.Media.Qc;

/// <summary>
/// What quality control found in a finished render, kept in the job record (<c>qc</c>) and manifest.json.
/// <see cref="Result"/> is "passed" (every check passed or did not apply), "warnings" (a soft check is off: the job
/// still completes) or "failed" (a hard check is off: the job fails with <see cref="FailureReason"/>).
/// </summary>
public sealed record QcReport(string Result, ImmutableArray<QcCheck> Checks)
{
    public const string Passed = "passed";
    public const string Warnings = "warnings";
    public const string Failed = "failed";

    public static QcReport Of(ImmutableArray<QcCheck> checks) => new(
        checks.Any(c => c.Result == QcCheck.Fail) ? Failed : checks.Any(c => c.Result == QcCheck.Warn) ? Warnings : Passed,
        checks);

    /// <summary>The failed checks in a sentence, for the job's error; null when none failed.</summary>
    [JsonIgnore]
    public string? FailureReason => Result == Failed
        ? string.Join("; ", Checks.Where(c => c.Result == QcCheck.Fail).Select(c => c.Describe()))
        : null;

    /// <summary>The soft checks that are off, for the log.</summary>
    [JsonIgnore]
    public IEnumerable<QcCheck> WarningChecks => Checks.Where(c => c.Result == QcCheck.Warn);
}
