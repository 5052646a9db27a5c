using VideoAkka.Pipeline.Media.Qc;

namespace VideoAkka.Tests.Unit;

/// <summary>Quality control's verdicts from measurements: which checks fail a job (hard) and which only warn (soft).</summary>
public sealed class QcEvaluationSpecs
{
    private static readonly QcSettings Limits = QcSettings.Default;

    /// <summary>What a good narrated 12 s render measures.</summary>
    private static readonly QcMeasurements Good = new("h264", "aac", 12.02, -14.2, -2.6, 0, 3);

    private static readonly QcExpectations Narrated = new(12.0, Narrated: true, SubtitleFile: "subtitles.srt");

    private static QcCheck Check(QcReport report, string name) => Assert.Single(report.Checks, c => c.Name == name);

    [Fact]
    public void A_good_render_passes_every_check_with_its_measured_value_and_limits()
    {
        var report = QcEvaluation.Evaluate(Good, Narrated, Limits);

        Assert.Equal(QcReport.Passed, report.Result);
        Assert.Equal(["video", "audio", "duration", "loudness", "true_peak", "black", "subtitles"], report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.Equal(QcCheck.Pass, c.Result));
        var duration = Check(report, "duration");
        Assert.Equal((12.02, 11.75, 12.25, "s"), (duration.Measured, duration.Min, duration.Max, duration.Unit));
        Assert.Equal(("h264", "h264"), (Check(report, "video").Found, Check(report, "video").Expected));
        Assert.Equal(-14.2, Check(report, "loudness").Measured);
        Assert.Equal(3, Check(report, "subtitles").Measured);
        Assert.Null(report.FailureReason);
    }

    [Fact]
    public void A_render_without_an_audio_stream_fails_naming_the_missing_stream()
    {
        var report = QcEvaluation.Evaluate(Good with { AudioCodec = null, IntegratedLufs = null, TruePeakDbtp = null }, Narrated, Limits);

        Assert.Equal(QcReport.Failed, report.Result);
        Assert.Equal(QcCheck.Fail, Check(report, "audio").Result);
        Assert.Equal("audio none, expected aac, the render has no audio stream", report.FailureReason);
    }

    [Fact]
    public void A_video_stream_in_another_codec_fails()
    {
        var report = QcEvaluation.Evaluate(Good with { VideoCodec = "mpeg4" }, Narrated, Limits);

        Assert.Equal("video mpeg4, expected h264", report.FailureReason);
    }

    [Theory]
    [InlineData(11.7)]
    [InlineData(12.3)]
    public void A_length_off_the_narration_by_more_than_the_tolerance_fails(double seconds)
    {
        var report = QcEvaluation.Evaluate(Good with { DurationSeconds = seconds }, Narrated, Limits);

        Assert.Equal(QcReport.Failed, report.Result);
        Assert.Equal($"duration {seconds:0.0} s, expected 11.75..12.25 s", report.FailureReason);
    }

    [Fact]
    public void Loudness_out_of_range_is_a_warning_and_the_job_still_passes_its_hard_checks()
    {
        var report = QcEvaluation.Evaluate(Good with { IntegratedLufs = -35 }, Narrated, Limits);

        Assert.Equal(QcReport.Warnings, report.Result);
        var loudness = Check(report, "loudness");
        Assert.Equal((QcCheck.Warn, false, -35.0, -16.0, -12.0), (loudness.Result, loudness.Hard, loudness.Measured!.Value, loudness.Min!.Value, loudness.Max!.Value));
        Assert.Null(report.FailureReason);
    }

    [Fact]
    public void A_narrated_render_whose_audio_is_silence_fails()
    {
        var report = QcEvaluation.Evaluate(Good with { IntegratedLufs = -70 }, Narrated, Limits);

        Assert.Equal(QcCheck.Fail, Check(report, "loudness").Result);
        Assert.Contains("the narration is silent", report.FailureReason);
    }

    [Fact]
    public void Without_a_voiceover_the_silent_audio_track_is_expected_and_its_loudness_not_checked()
    {
        var report = QcEvaluation.Evaluate(Good with { IntegratedLufs = -70, TruePeakDbtp = null }, Narrated with { Narrated = false }, Limits);

        Assert.Equal(QcReport.Passed, report.Result);
        Assert.Equal(QcCheck.Skip, Check(report, "loudness").Result);
        Assert.Equal(QcCheck.Skip, Check(report, "true_peak").Result);
        Assert.Equal(QcCheck.Pass, Check(report, "audio").Result);
    }

    [Fact]
    public void A_true_peak_above_the_limit_is_a_warning()
    {
        var report = QcEvaluation.Evaluate(Good with { TruePeakDbtp = 0.4 }, Narrated, Limits with { MaxTruePeak = -1 });

        Assert.Equal((QcReport.Warnings, QcCheck.Warn), (report.Result, Check(report, "true_peak").Result));
    }

    [Fact]
    public void A_black_stretch_longer_than_the_limit_is_a_warning_with_its_length()
    {
        var report = QcEvaluation.Evaluate(Good with { LongestBlackSeconds = 2.5 }, Narrated, Limits);

        var black = Check(report, "black");
        Assert.Equal((QcReport.Warnings, QcCheck.Warn, 2.5, 1.0), (report.Result, black.Result, black.Measured!.Value, black.Max!.Value));
    }

    [Fact]
    public void A_black_stretch_fails_the_job_when_configured_to()
    {
        var report = QcEvaluation.Evaluate(Good with { LongestBlackSeconds = 2.5 }, Narrated, Limits with { BlackFails = true });

        Assert.Equal("black 2.5 s, expected at most 1, a black stretch in the video", report.FailureReason);
    }

    [Fact]
    public void A_black_stretch_within_the_limit_passes()
    {
        var report = QcEvaluation.Evaluate(Good with { LongestBlackSeconds = 0.9 }, Narrated, Limits);

        Assert.Equal(QcCheck.Pass, Check(report, "black").Result);
    }

    [Fact]
    public void Subtitles_asked_for_and_missing_fail_the_job()
    {
        var report = QcEvaluation.Evaluate(Good with { SubtitleCues = null }, Narrated, Limits);

        Assert.Equal("subtitles 0 cues, expected at least 1, the subtitle file is missing", report.FailureReason);
    }

    [Fact]
    public void An_empty_subtitle_file_fails_the_job()
    {
        var report = QcEvaluation.Evaluate(Good with { SubtitleCues = 0 }, Narrated, Limits);

        Assert.Contains("the subtitle file has no cues", report.FailureReason);
    }

    [Fact]
    public void Subtitles_not_asked_for_are_not_checked()
    {
        var report = QcEvaluation.Evaluate(Good with { SubtitleCues = null }, Narrated with { SubtitleFile = null }, Limits);

        Assert.Equal((QcReport.Passed, QcCheck.Skip), (report.Result, Check(report, "subtitles").Result));
    }

    [Fact]
    public void An_unreadable_file_fails_every_stream_check_at_once()
    {
        var report = QcEvaluation.Evaluate(new QcMeasurements(null, null, null, null, null, 0, 3), Narrated, Limits);

        Assert.Equal(["video", "audio", "duration"], report.Checks.Where(c => c.Result == QcCheck.Fail).Select(c => c.Name));
    }
}
