using System.Globalization;
using System.Text.Json.Serialization;

namespace VideoAkka.Pipeline.Media.Qc;

/// <summary>One quality check: what was measured against what limit, and the verdict.</summary>
/// <param name="Name">video, audio, duration, loudness, true_peak, black or subtitles.</param>
/// <param name="Result">pass, warn (a soft check is off), fail (a hard check is off) or skip (does not apply).</param>
/// <param name="Hard">Whether being off fails the job (otherwise it is a warning).</param>
/// <param name="Measured">The measured number (seconds, LUFS, dBTP, cues), when the check measures one.</param>
/// <param name="Found">What was found when it is a name (a codec, a file).</param>
/// <param name="Min">The least value that passes.</param>
/// <param name="Max">The greatest value that passes.</param>
/// <param name="Expected">The name that passes (a codec).</param>
/// <param name="Note">Why it was skipped or failed, in words.</param>
public sealed record QcCheck(
    string Name,
    string Result,
    bool Hard,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Measured = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Found = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Min = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Max = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Expected = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Unit = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note = null)
{
    public const string Pass = "pass";
    public const string Warn = "warn";
    public const string Fail = "fail";
    public const string Skip = "skip";

    /// <summary>"duration 7.2 s, expected 11.9..12.1 s": for a job's error and the log.</summary>
    public string Describe()
    {
        var what = Measured is { } m ? $"{Name} {Number(m)}{(Unit is null ? "" : " " + Unit)}" : $"{Name} {Found ?? "missing"}";
        var limit = (Min, Max, Expected) switch
        {
            (_, _, { } name) => $"expected {name}",
            ({ } lo, { } hi, _) => $"expected {Number(lo)}..{Number(hi)}{(Unit is null ? "" : " " + Unit)}",
            ({ } lo, null, _) => $"expected at least {Number(lo)}",
            (null, { } hi, _) => $"expected at most {Number(hi)}",
            _ => null,
        };
        return string.Join(", ", new[] { what, limit, Note }.Where(s => s is not null));
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
