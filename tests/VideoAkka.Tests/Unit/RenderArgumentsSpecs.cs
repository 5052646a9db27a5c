using System.Collections.Immutable;
using System.Globalization;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class RenderArgumentsSpecs
{
    private const string Output = "stitched_subtitled.partial.mp4";

    private static RenderPlan Plan(
        string[]? clips = null,
        string? voiceover = "voiceover.mp3",
        string? subtitles = "subtitles.srt",
        double duration = 12.5) => new(
            "/data/shared/run-1",
            [.. clips ?? ["scene_001.mp4", "scene_002.mp4", "scene_003.mp4"]],
            voiceover,
            subtitles,
            duration,
            new VideoFormat(1080, 1920, 30),
            new RenderSettings("veryfast", 20));

    private static string FilterGraph(IReadOnlyList<string> args) => ValueAfter(args, "-filter_complex");

    private static string ValueAfter(IReadOnlyList<string> args, string flag)
    {
        var index = args.ToList().IndexOf(flag);
        Assert.True(index >= 0 && index + 1 < args.Count, $"{flag} is missing");
        return args[index + 1];
    }

    private static List<string> Inputs(IReadOnlyList<string> args) =>
        [.. args.Select((a, i) => (a, i)).Where(x => x.a == "-i").Select(x => args[x.i + 1])];

    [Fact]
    public void Each_clip_is_an_input_in_order_followed_by_the_voiceover()
    {
        var args = RenderArguments.Build(Plan(), Output);

        Assert.Equal(["scene_001.mp4", "scene_002.mp4", "scene_003.mp4", "voiceover.mp3"], Inputs(args));
    }

    [Fact]
    public void Without_a_voiceover_a_silent_lavfi_source_is_the_audio_input()
    {
        var args = RenderArguments.Build(Plan(voiceover: null), Output);

        Assert.Equal(["scene_001.mp4", "scene_002.mp4", "scene_003.mp4", "anullsrc=channel_layout=stereo:sample_rate=48000"], Inputs(args));
        var lavfi = args.ToList().IndexOf("lavfi");
        Assert.Equal("-f", args[lavfi - 1]);
        Assert.Equal("-i", args[lavfi + 1]);
    }

    [Fact]
    public void The_audio_comes_from_the_input_after_the_clips()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(), Output));

        Assert.Contains("[3:a]atrim=duration=12.5", graph);
    }

    [Fact]
    public void Every_clip_is_scaled_to_the_format_and_fed_to_a_concat_of_all_clips()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(), Output));

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains($"[{i}:v]scale=1080:1920:force_original_aspect_ratio=decrease,pad=1080:1920:", graph);
            Assert.Contains($"fps=30,format=yuv420p[c{i}];", graph);
        }
        Assert.Contains("[c0][c1][c2]concat=n=3:v=1:a=0", graph);
    }

    [Fact]
    public void The_video_is_padded_with_its_last_frame_then_trimmed_to_the_duration()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(duration: 12.5), Output));

        var tpad = graph.IndexOf("tpad=stop_mode=clone:stop_duration=12.5", StringComparison.Ordinal);
        var trim = graph.IndexOf("trim=duration=12.5,", StringComparison.Ordinal);
        Assert.True(tpad >= 0, graph);
        Assert.True(trim > tpad, graph);
    }

    // The styles libass gets, written out: a spec that rebuilt them with RenderArguments.SubtitleStyle would pass
    // whatever that function returned.
    private const string PortraitStyle =
        "FontName=Noto Sans,FontSize=10,PrimaryColour=&H00FFFFFF,OutlineColour=&H00000000,BorderStyle=1,Outline=1.5,Shadow=0,Alignment=2,MarginV=40,MarginL=16,MarginR=16,Encoding=-1";

    private const string LandscapeStyle =
        "FontName=Noto Sans,FontSize=14,PrimaryColour=&H00FFFFFF,OutlineColour=&H00000000,BorderStyle=1,Outline=1.5,Shadow=0,Alignment=2,MarginV=24,MarginL=16,MarginR=16,Encoding=-1";

    [Fact]
    public void The_whole_filter_graph_of_three_clips_a_voiceover_and_subtitles_is_exactly_this()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(), Output));

        Assert.Equal(
            "[0:v]scale=1080:1920:force_original_aspect_ratio=decrease,pad=1080:1920:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p[c0];" +
            "[1:v]scale=1080:1920:force_original_aspect_ratio=decrease,pad=1080:1920:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p[c1];" +
            "[2:v]scale=1080:1920:force_original_aspect_ratio=decrease,pad=1080:1920:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p[c2];" +
            "[c0][c1][c2]concat=n=3:v=1:a=0,tpad=stop_mode=clone:stop_duration=12.5,trim=duration=12.5,setpts=PTS-STARTPTS," +
            "subtitles=subtitles.srt:force_style='" + PortraitStyle + "'[v];" +
            "[3:a]atrim=duration=12.5,asetpts=PTS-STARTPTS[a]",
            graph);
    }

    [Fact]
    public void A_styled_ass_script_is_burned_in_as_written_with_no_style_forced_over_it()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(subtitles: "subtitles.ass"), Output));

        Assert.Contains(",ass=subtitles.ass[v];", graph);
        Assert.DoesNotContain("force_style", graph);
    }

    [Fact]
    public void A_subtitle_file_is_burned_in_with_a_single_quoted_style()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(subtitles: "subtitles.srt"), Output));

        Assert.Contains($",subtitles=subtitles.srt:force_style='{PortraitStyle}'[v];", graph);
    }

    [Fact]
    public void Without_a_subtitle_file_nothing_is_burned_in()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(subtitles: null), Output));

        Assert.DoesNotContain("subtitles", graph);
        Assert.DoesNotContain("force_style", graph);
        Assert.Contains("setpts=PTS-STARTPTS[v];", graph);
    }

    [Fact]
    public void The_subtitle_style_is_smaller_and_higher_for_portrait_than_for_landscape()
    {
        Assert.Equal(PortraitStyle, RenderArguments.SubtitleStyle(new VideoFormat(1080, 1920, 30)));
        Assert.Equal(LandscapeStyle, RenderArguments.SubtitleStyle(new VideoFormat(1920, 1080, 30)));
    }

    [Fact]
    public void The_labelled_video_and_audio_streams_are_mapped()
    {
        var args = RenderArguments.Build(Plan(), Output).ToList();

        var map = args.IndexOf("-map");
        Assert.Equal(["-map", "[v]", "-map", "[a]"], args.GetRange(map, 4));
    }

    [Fact]
    public void The_output_is_h264_and_aac_in_yuv420p_with_faststart()
    {
        var args = RenderArguments.Build(Plan(), Output);

        Assert.Equal("libx264", ValueAfter(args, "-c:v"));
        Assert.Equal("veryfast", ValueAfter(args, "-preset"));
        Assert.Equal("20", ValueAfter(args, "-crf"));
        Assert.Equal("aac", ValueAfter(args, "-c:a"));
        Assert.Equal("yuv420p", ValueAfter(args, "-pix_fmt"));
        Assert.Equal("+faststart", ValueAfter(args, "-movflags"));
        Assert.Equal("30", ValueAfter(args, "-r"));
    }

    [Fact]
    public void The_output_file_is_the_last_argument()
    {
        var args = RenderArguments.Build(Plan(), Output);

        Assert.Equal(Output, args[^1]);
        Assert.Equal("mp4", args[^2]);
        Assert.Equal("-f", args[^3]);
    }

    [Fact]
    public void A_single_clip_is_concatenated_alone()
    {
        var args = RenderArguments.Build(Plan(clips: ["only.mp4"]), Output);

        Assert.Equal(["only.mp4", "voiceover.mp3"], Inputs(args));
        Assert.Contains("[c0]concat=n=1:", FilterGraph(args));
        Assert.Contains("[1:a]atrim", FilterGraph(args));
    }

    [Fact]
    public void Numbers_are_written_with_a_dot_under_a_culture_with_a_decimal_comma()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = DecimalCommaCulture();
            Assert.Equal("2,5", 2.5.ToString()); // the culture really uses a comma

            var args = RenderArguments.Build(Plan(duration: 7.25), Output);

            var graph = FilterGraph(args);
            Assert.Contains("stop_duration=7.25,trim=duration=7.25,", graph);
            Assert.Contains("atrim=duration=7.25,", graph);
            Assert.Contains("Outline=1.5,", graph);
            Assert.DoesNotContain("7,25", graph);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    /// <summary>
    /// de-DE's number format. The build sets InvariantGlobalization, so <c>new CultureInfo("de-DE")</c> throws
    /// CultureNotFoundException; a copy of the invariant culture with de-DE's separators stands in for it.
    /// </summary>
    private static CultureInfo DecimalCommaCulture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        return culture;
    }

    [Theory]
    [InlineData(4.0, "4")]
    [InlineData(12.5, "12.5")]
    [InlineData(1.23456, "1.235")]
    public void Seconds_are_written_with_at_most_three_decimals(double seconds, string expected) =>
        Assert.Equal(expected, RenderArguments.Seconds(seconds));

    [Fact]
    public void An_empty_clip_list_is_refused() =>
        Assert.Throws<ArgumentException>(() => RenderArguments.Build(Plan(clips: []), Output));

    [Fact]
    public void A_default_clip_list_is_refused() =>
        Assert.Throws<ArgumentException>(() => RenderArguments.Build(Plan() with { ClipFiles = default }, Output));
}
