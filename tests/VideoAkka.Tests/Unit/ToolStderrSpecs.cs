using VideoAkka.Pipeline.Media;

namespace VideoAkka.Tests.Unit;

/// <summary>A failed tool's error says why in its own words: the error lines, not the banner; no paths outside the job
/// folder, no credentials.</summary>
public sealed class ToolStderrSpecs
{
    private const string Folder = "/data/shared/run-1";

    /// <summary>ffmpeg 5's stderr when a subtitle file cannot be opened (banner and stream listing included).</summary>
    private static readonly string[] SubtitleFailure =
    [
        "ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers",
        "  built with gcc 12 (Debian 12.2.0-14)",
        "  configuration: --prefix=/usr --extra-version=0+deb12u1",
        "  libavutil      57. 28.100 / 57. 28.100",
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'vid_001.mp4':",
        "  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 320x240, 25 fps",
        "Stream mapping:",
        "Past duration 0.999992 too large",
        "[Parsed_subtitles_0 @ 0x557b8cfcb680] libass API version: 0x1701000",
        "[Parsed_subtitles_0 @ 0x557b8cfcb680] Unable to open /data/shared/run-1/subtitles.srt",
        "[AVFilterGraph @ 0x557b8cfcab80] Error initializing filter 'subtitles' with args '/etc/secret/nothere.srt'",
        "Error reinitializing filters!",
        "Failed to inject frame into filter network: No such file or directory",
        "Conversion failed!",
    ];

    private static string Summary(string[] stderr) => ToolStderr.Summarize(
        [.. stderr.Where(l => !ToolStderr.IsNoise(l) && ToolStderr.IsComplaint(l))], stderr, Folder);

    [Fact]
    public void The_first_error_lines_are_kept_and_the_banner_is_not() => Assert.Equal(
        "[Parsed_subtitles_0] Unable to open subtitles.srt | [AVFilterGraph] Error initializing filter 'subtitles' with args 'nothere.srt' | Error reinitializing filters!",
        Summary(SubtitleFailure));

    [Fact]
    public void Without_an_error_line_the_last_lines_that_are_not_noise_are_kept() => Assert.Equal(
        "something odd happened | and then it stopped",
        Summary(["ffmpeg version 5.1.6", "  built with gcc 12", "something odd happened", "and then it stopped", "frame=  10 fps=0.0"]));

    [Fact]
    public void A_path_inside_the_job_folder_is_shown_relative_to_it() =>
        Assert.Equal("Unable to open scenes/img_001.png", ToolStderr.Clean("Unable to open /data/shared/run-1/scenes/img_001.png", Folder));

    [Fact]
    public void A_path_outside_the_job_folder_is_shown_by_its_file_name_only() =>
        Assert.Equal("cannot read fonts.conf", ToolStderr.Clean("cannot read /home/operator/.config/fontconfig/fonts.conf", Folder));

    [Fact]
    public void Credentials_in_a_url_and_secret_looking_query_values_are_masked() => Assert.Equal(
        "https://***@cdn.example.com/a.png?size=2&token=***: Server returned 403 Forbidden",
        ToolStderr.Clean("https://user:hunter2@cdn.example.com/a.png?size=2&token=abc123: Server returned 403 Forbidden", Folder));

    [Fact]
    public void A_long_line_is_cut() =>
        Assert.True(ToolStderr.Clean("Error: " + new string('x', 1000), Folder).Length <= 301);

    [Fact]
    public void The_exception_names_the_tool_the_exit_code_and_the_lines() => Assert.Equal(
        "ffmpeg exited with code 1: Conversion failed!",
        new MediaToolException("ffmpeg", 1, "Conversion failed!").Message);

    [Fact]
    public void An_exit_code_from_a_signal_says_which_signal() => Assert.Equal(
        "ffmpeg exited with code 137 (killed by signal 9): (no error output)",
        new MediaToolException("ffmpeg", 137, "").Message);
}
