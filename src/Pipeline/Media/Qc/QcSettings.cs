using Akka.Configuration;

namespace VideoAkka.Pipeline.Media.Qc;

/// <summary>The limits quality control holds a render to (videoakka.qc), validated at start.</summary>
/// <param name="DurationToleranceSeconds">Most the video's length may differ from the narration's (hard).</param>
/// <param name="LoudnessMin">Least integrated loudness (EBU R128, LUFS) of a narrated video (soft).</param>
/// <param name="LoudnessMax">Greatest integrated loudness (soft).</param>
/// <param name="MaxTruePeak">Greatest true peak, dBTP (soft).</param>
/// <param name="SilenceBelow">A narrated video quieter than this (LUFS) has lost its voice: a hard failure.</param>
/// <param name="MaxBlackSeconds">Longest black stretch allowed.</param>
/// <param name="BlackPixelThreshold">blackdetect's pix_th: a pixel darker than this fraction of the range is black.</param>
/// <param name="BlackPictureThreshold">blackdetect's pic_th: a frame with this fraction of black pixels is black.</param>
/// <param name="BlackFails">A longer black stretch fails the job instead of warning.</param>
public sealed record QcSettings(
    double DurationToleranceSeconds,
    double LoudnessMin,
    double LoudnessMax,
    double MaxTruePeak,
    double SilenceBelow,
    double MaxBlackSeconds,
    double BlackPixelThreshold,
    double BlackPictureThreshold,
    bool BlackFails)
{
    public static QcSettings Default { get; } = new(0.25, -16, -12, -1, -60, 1.0, 0.10, 0.98, false);

    /// <param name="root">The "videoakka" section, defaults included.</param>
    public static QcSettings Create(Config root)
    {
        var settings = new QcSettings(
            root.GetTimeSpan("qc.duration-tolerance").TotalSeconds,
            root.GetDouble("qc.loudness.min"),
            root.GetDouble("qc.loudness.max"),
            root.GetDouble("qc.loudness.max-true-peak"),
            root.GetDouble("qc.loudness.silence-below"),
            root.GetTimeSpan("qc.black.max").TotalSeconds,
            root.GetDouble("qc.black.pixel-threshold"),
            root.GetDouble("qc.black.picture-threshold"),
            root.GetBoolean("qc.black.fails"));
        settings.Validate();
        return settings;
    }

    public void Validate()
    {
        Require(DurationToleranceSeconds is > 0 and <= 60, "qc.duration-tolerance", "must be a duration above 0 and at most 60s");
        Require(LoudnessMin is >= -70 and < 0 && LoudnessMax is > -70 and <= 0 && LoudnessMin < LoudnessMax,
            "qc.loudness", "min and max must be LUFS from -70 to 0, min below max");
        Require(MaxTruePeak is >= -20 and <= 6, "qc.loudness.max-true-peak", "must be dBTP from -20 to 6");
        Require(SilenceBelow is >= -70 and < 0 && SilenceBelow < LoudnessMin, "qc.loudness.silence-below", "must be LUFS from -70, below qc.loudness.min");
        Require(MaxBlackSeconds is >= 0.1 and <= 3600, "qc.black.max", "must be a duration from 100ms to 1h");
        Require(BlackPixelThreshold is >= 0 and <= 1, "qc.black.pixel-threshold", "must be from 0 to 1");
        Require(BlackPictureThreshold is > 0 and <= 1, "qc.black.picture-threshold", "must be above 0 and at most 1");
    }

    private static void Require(bool ok, string path, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"videoakka.{path} {message}");
        }
    }
}
