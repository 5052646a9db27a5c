using VideoAkka.Pipeline.Media.Qc;

namespace VideoAkka.Tests.Unit;

/// <summary>Quality control reads the tools' own output (captured from ffprobe 5 and ffmpeg 5's ebur128 and blackdetect).</summary>
public sealed class QcOutputSpecs
{
    private const string Probe = """
        {
            "programs": [ ],
            "streams": [
                { "codec_name": "h264", "codec_type": "video" },
                { "codec_name": "aac", "codec_type": "audio" }
            ],
            "format": { "duration": "4.000000" }
        }
        """;

    /// <summary>An analysis pass's stderr, as ffmpeg printed it (the stream listing shortened).</summary>
    private static readonly string[] Analysis =
    [
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'black.mp4':",
        "  Duration: 00:00:04.00, start: 0.000000, bitrate: 395 kb/s",
        "[blackdetect @ 0x55dfb917c240] black_start:0 black_end:2 black_duration:2",
        "[blackdetect @ 0x55dfb917c240] black_start:3.1 black_end:3.5 black_duration:0.4",
        "frame=  100 fps=0.0 q=-0.0 Lsize=N/A time=00:00:04.00 bitrate=N/A speed=  79x    ",
        "[Parsed_ebur128_0 @ 0x55dfb8c40ec0] Summary:",
        "",
        "  Integrated loudness:",
        "    I:         -21.7 LUFS",
        "    Threshold: -31.8 LUFS",
        "",
        "  Loudness range:",
        "    LRA:        20.2 LU",
        "    Threshold: -41.8 LUFS",
        "",
        "  True peak:",
        "    Peak:       -2.6 dBFS",
    ];

    [Fact]
    public void Ffprobe_json_gives_the_codecs_and_the_duration() =>
        Assert.Equal(("h264", "aac", 4.0), QcOutput.ParseProbe(Probe));

    [Fact]
    public void A_file_without_an_audio_stream_reads_as_no_audio_codec() =>
        Assert.Equal(("h264", (string?)null, 4.0), QcOutput.ParseProbe(Probe.Replace("""{ "codec_name": "aac", "codec_type": "audio" }""", """{ "codec_name": "mov_text", "codec_type": "subtitle" }""")));

    [Fact]
    public void Output_that_is_not_json_reads_as_nothing_found() =>
        Assert.Equal(((string?)null, (string?)null, (double?)null), QcOutput.ParseProbe("Invalid data found"));

    [Fact]
    public void The_ebur128_summary_gives_integrated_loudness_and_true_peak() =>
        Assert.Equal((-21.7, -2.6), QcOutput.ParseLoudness(Analysis));

    [Fact]
    public void Per_frame_lines_before_the_summary_are_not_taken_for_it()
    {
        string[] frames = ["[Parsed_ebur128_0 @ 0x1] t: 2.5    TARGET:-23 LUFS    M: -19.5 S:-120.7     I: -21.5 LUFS       LRA:   0.0 LU"];

        Assert.Equal(((double?)null, (double?)null), QcOutput.ParseLoudness(frames));
    }

    [Fact]
    public void Silence_reads_as_the_lowest_loudness_ebur128_measures() =>
        Assert.Equal(-70, QcOutput.ParseLoudness(["Summary:", "    I:         -inf LUFS", "    Peak:       -inf dBFS"]).IntegratedLufs);

    [Fact]
    public void The_longest_black_stretch_is_taken_from_blackdetect() =>
        Assert.Equal(2.0, QcOutput.LongestBlack(Analysis));

    [Fact]
    public void No_blackdetect_line_means_no_black_stretch() =>
        Assert.Equal(0, QcOutput.LongestBlack(Analysis.Where(l => !l.Contains("blackdetect"))));

    [Fact]
    public void Srt_cues_with_text_are_counted()
    {
        const string srt = "1\n00:00:00,000 --> 00:00:01,500\nHello there.\n\n2\n00:00:01,500 --> 00:00:03,000\nGeneral Kenobi.\n\n3\n00:00:03,000 --> 00:00:04,000\n\n";

        Assert.Equal(2, QcOutput.CountCues(srt));
    }

    [Fact]
    public void Ass_dialogue_lines_with_text_are_counted()
    {
        const string ass = "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
            + "Dialogue: 0,0:00:00.00,0:00:01.50,Default,,0,0,0,,Hello, there.\nDialogue: 0,0:00:01.50,0:00:03.00,Default,,0,0,0,,\n";

        Assert.Equal(1, QcOutput.CountCues(ass));
    }
}
