using System.Collections.Immutable;

namespace VideoAkka.Pipeline.Media.Qc;

/// <summary>
/// Judges a render's measurements against what its job asked for: a pure function, so every verdict is specified
/// without a video. Hard checks (a missing or wrong stream, a wrong length, a narration gone silent, subtitles asked
/// for and not there) fail the job; soft ones (loudness or true peak out of range, a black stretch) are warnings,
/// because the video is still what was asked for and a person may want it anyway.
/// </summary>
public static class QcEvaluation
{
    public const string VideoCodec = "h264";
    public const string AudioCodec = "aac";

    public static QcReport Evaluate(QcMeasurements measured, QcExpectations expected, QcSettings limits) => QcReport.Of(
    [
        Codec("video", measured.VideoCodec, VideoCodec),
        Codec("audio", measured.AudioCodec, AudioCodec),
        Duration(measured, expected, limits),
        Loudness(measured, expected, limits),
        TruePeak(measured, expected, limits),
        Black(measured, limits),
        Subtitles(measured, expected),
    ]);

    private static QcCheck Codec(string name, string? found, string expected) => new(
        name, found == expected ? QcCheck.Pass : QcCheck.Fail, Hard: true, Found: found ?? "none", Expected: expected,
        Note: found is null ? $"the render has no {name} stream" : null);

    private static QcCheck Duration(QcMeasurements measured, QcExpectations expected, QcSettings limits)
    {
        var (min, max) = (Round(expected.DurationSeconds - limits.DurationToleranceSeconds), Round(expected.DurationSeconds + limits.DurationToleranceSeconds));
        return measured.DurationSeconds is { } seconds
            ? new("duration", seconds >= min && seconds <= max ? QcCheck.Pass : QcCheck.Fail, true, Round(seconds), Min: min, Max: max, Unit: "s")
            : new("duration", QcCheck.Fail, true, Min: min, Max: max, Unit: "s", Note: "ffprobe read no duration");
    }

    private static QcCheck Loudness(QcMeasurements measured, QcExpectations expected, QcSettings limits)
    {
        if (!expected.Narrated)
        {
            return new("loudness", QcCheck.Skip, false, measured.IntegratedLufs, Unit: "LUFS", Note: "no voiceover: the audio track is silence");
        }
        if (measured.IntegratedLufs is not { } lufs || lufs < limits.SilenceBelow)
        {
            // The voice was lost somewhere between the voiceover and the mix: a silent video is never "completed".
            return new("loudness", measured.AudioCodec is null ? QcCheck.Skip : QcCheck.Fail, true, measured.IntegratedLufs, Min: limits.LoudnessMin,
                Max: limits.LoudnessMax, Unit: "LUFS", Note: measured.AudioCodec is null ? "no audio stream" : $"the narration is silent (below {limits.SilenceBelow} LUFS)");
        }
        return new("loudness", lufs >= limits.LoudnessMin && lufs <= limits.LoudnessMax ? QcCheck.Pass : QcCheck.Warn, false, lufs,
            Min: limits.LoudnessMin, Max: limits.LoudnessMax, Unit: "LUFS");
    }

    private static QcCheck TruePeak(QcMeasurements measured, QcExpectations expected, QcSettings limits) =>
        !expected.Narrated || measured.TruePeakDbtp is not { } peak
            ? new("true_peak", QcCheck.Skip, false, measured.TruePeakDbtp, Max: limits.MaxTruePeak, Unit: "dBTP",
                Note: expected.Narrated ? "ebur128 read no true peak" : "no voiceover: the audio track is silence")
            : new("true_peak", peak <= limits.MaxTruePeak ? QcCheck.Pass : QcCheck.Warn, false, peak, Max: limits.MaxTruePeak, Unit: "dBTP");

    private static QcCheck Black(QcMeasurements measured, QcSettings limits)
    {
        var longest = Round(measured.LongestBlackSeconds);
        var off = longest > limits.MaxBlackSeconds;
        return new("black", !off ? QcCheck.Pass : limits.BlackFails ? QcCheck.Fail : QcCheck.Warn, limits.BlackFails, longest,
            Max: limits.MaxBlackSeconds, Unit: "s", Note: off ? "a black stretch in the video" : null);
    }

    private static QcCheck Subtitles(QcMeasurements measured, QcExpectations expected)
    {
        if (expected.SubtitleFile is null)
        {
            return new("subtitles", QcCheck.Skip, true, Note: "no subtitles asked for");
        }
        var cues = measured.SubtitleCues ?? 0;
        return new("subtitles", cues >= 1 ? QcCheck.Pass : QcCheck.Fail, true, cues, expected.SubtitleFile, Min: 1, Unit: "cues",
            Note: measured.SubtitleCues is null ? "the subtitle file is missing" : cues == 0 ? "the subtitle file has no cues" : null);
    }

    private static double Round(double value) => Math.Round(value, 3);
}
