namespace VideoAkka.Pipeline.Media.Qc;

/// <summary>What ffprobe and one ffmpeg analysis pass (ebur128, blackdetect) read from a render, and the subtitle
/// file's cues. Null means not found (no such stream, no summary printed).</summary>
/// <param name="LongestBlackSeconds">The longest stretch blackdetect reported, 0 when none.</param>
/// <param name="SubtitleCues">Cues in the subtitle file; null when there is no such file.</param>
public sealed record QcMeasurements(
    string? VideoCodec,
    string? AudioCodec,
    double? DurationSeconds,
    double? IntegratedLufs,
    double? TruePeakDbtp,
    double LongestBlackSeconds,
    int? SubtitleCues);
