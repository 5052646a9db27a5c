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

        Assert.Contains("[3:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,atrim=duration=12.5,", graph);
    }

    // The styles libass gets, written out: a spec that rebuilt them with RenderArguments.SubtitleStyle would pass
    // whatever that function returned.
    private const string PortraitStyle =
        "FontName=Noto Sans,FontSize=10,PrimaryColour=&H00FFFFFF,OutlineColour=&H00000000,BorderStyle=1,Outline=1.5,Shadow=0,Alignment=2,MarginV=40,MarginL=16,MarginR=16,Encoding=-1";

    private const string LandscapeStyle =
        "FontName=Noto Sans,FontSize=14,PrimaryColour=&H00FFFFFF,OutlineColour=&H00000000,BorderStyle=1,Outline=1.5,Shadow=0,Alignment=2,MarginV=24,MarginL=16,MarginR=16,Encoding=-1";

    private const string Stereo = "aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo";

    private const string Compressor = "acompressor=threshold=0.05:ratio=4:attack=5:release=80:makeup=2";

    [Fact]
    public void The_whole_filter_graph_of_three_clips_a_voiceover_and_subtitles_is_exactly_this()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(), Output));

        // 12.5 s at 30 fps is 375 frames, 125 per scene; each clip covers the frame and holds its last frame.
        Assert.Equal(
            "[0:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,fps=30,format=yuv420p,tpad=stop_mode=clone:stop_duration=4.167,trim=end_frame=125,setpts=PTS-STARTPTS[c0];" +
            "[1:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,fps=30,format=yuv420p,tpad=stop_mode=clone:stop_duration=4.167,trim=end_frame=125,setpts=PTS-STARTPTS[c1];" +
            "[2:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,fps=30,format=yuv420p,tpad=stop_mode=clone:stop_duration=4.167,trim=end_frame=125,setpts=PTS-STARTPTS[c2];" +
            "[c0][c1][c2]concat=n=3:v=1:a=0[vjoin];" +
            "[vjoin]subtitles=subtitles.srt:force_style='" + PortraitStyle + "'[v];" +
            "[3:a]" + Stereo + ",atrim=duration=12.5,asetpts=PTS-STARTPTS," + Compressor + ",apad=whole_dur=3,loudnorm=I=-14:TP=-2:LRA=11,aresample=48000,atrim=duration=12.5[a]",
            graph);
    }

    [Fact]
    public void A_styled_ass_script_is_burned_in_as_written_with_no_style_forced_over_it()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(subtitles: "subtitles.ass"), Output));

        Assert.Contains("[vjoin]ass=subtitles.ass[v];", graph);
        Assert.DoesNotContain("force_style", graph);
    }

    [Fact]
    public void Contain_fits_each_clip_inside_the_frame_and_pads_the_rest()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan() with { Options = new RenderOptions(Fit: FitMode.Contain) }, Output));

        Assert.StartsWith(
            "[0:v]scale=1080:1920:force_original_aspect_ratio=decrease,pad=1080:1920:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p,tpad=stop_mode=clone:stop_duration=4.167,trim=end_frame=125,setpts=PTS-STARTPTS[c0];",
            graph);
        Assert.DoesNotContain("crop=", graph);
    }

    [Fact]
    public void Every_clip_is_decoded_at_most_8192_by_8192_pixels_and_the_voice_is_not_limited()
    {
        var args = RenderArguments.Build(Plan(), Output).ToList();

        foreach (var clip in new[] { "scene_001.mp4", "scene_002.mp4", "scene_003.mp4" })
        {
            Assert.Equal(["-max_pixels", "67108864", "-i"], args.GetRange(args.IndexOf(clip) - 3, 3));
        }
        Assert.NotEqual("67108864", args[args.IndexOf("voiceover.mp3") - 2]);
    }

    [Fact]
    public void Looped_clips_are_looped_by_their_input_and_cut_without_holding_a_frame()
    {
        var args = RenderArguments.Build(Plan() with { Options = new RenderOptions(ClipFill: ClipFill.Loop) }, Output).ToList();

        foreach (var clip in new[] { "scene_001.mp4", "scene_002.mp4", "scene_003.mp4" })
        {
            Assert.Equal(["-stream_loop", "-1", "-i"], args.GetRange(args.IndexOf(clip) - 3, 3));
        }
        Assert.Equal("-i", args[args.IndexOf("voiceover.mp3") - 1]);
        Assert.NotEqual("-1", args[args.IndexOf("voiceover.mp3") - 2]); // the voice plays once
        var graph = FilterGraph(args);
        Assert.StartsWith("[0:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,fps=30,format=yuv420p,trim=end_frame=125,setpts=PTS-STARTPTS[c0];", graph);
        Assert.DoesNotContain("tpad", graph);
    }

    [Fact]
    public void Each_clip_is_cut_to_its_scenes_share_in_frames()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan() with { SceneSeconds = [2, 4, 6.5] }, Output));

        Assert.Contains("tpad=stop_mode=clone:stop_duration=2,trim=end_frame=60,setpts=PTS-STARTPTS[c0];", graph);
        Assert.Contains("tpad=stop_mode=clone:stop_duration=4,trim=end_frame=120,setpts=PTS-STARTPTS[c1];", graph);
        Assert.Contains("tpad=stop_mode=clone:stop_duration=6.5,trim=end_frame=195,setpts=PTS-STARTPTS[c2];", graph);
    }

    [Fact]
    public void A_fade_overlaps_each_clip_with_the_next_and_crossfades_where_its_share_ends()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan() with { Options = new RenderOptions(Transition: new SceneTransition(0.5)) }, Output));

        // Every clip but the last runs 15 frames (0.5 s) into the next, so the whole still lasts 375 frames.
        Assert.Contains("trim=end_frame=140,setpts=PTS-STARTPTS[c0];", graph);
        Assert.Contains("trim=end_frame=140,setpts=PTS-STARTPTS[c1];", graph);
        Assert.Contains("trim=end_frame=125,setpts=PTS-STARTPTS[c2];", graph);
        Assert.Contains(
            "[c0][c1]xfade=transition=fade:duration=0.5:offset=4.167[x1];[x1][c2]xfade=transition=fade:duration=0.5:offset=8.333[vjoin];",
            graph);
        Assert.DoesNotContain("concat", graph);
    }

    [Fact]
    public void A_fade_is_never_longer_than_half_the_shortest_scene()
    {
        var plan = Plan() with { SceneSeconds = [1, 5, 6.5], Options = new RenderOptions(Transition: new SceneTransition(3)) };

        var graph = FilterGraph(RenderArguments.Build(plan, Output));

        Assert.Contains("[c0][c1]xfade=transition=fade:duration=0.5:offset=1[x1];", graph);
    }

    private static readonly MusicInput Music = new("/srv/music/calm.mp3", "mp3");

    [Fact]
    public void Music_is_a_looped_input_with_its_demuxer_named_after_the_voiceover()
    {
        var args = RenderArguments.Build(Plan() with { Music = Music }, Output).ToList();

        Assert.Equal(["scene_001.mp4", "scene_002.mp4", "scene_003.mp4", "voiceover.mp3", "/srv/music/calm.mp3"], Inputs(args));
        Assert.Equal(["-stream_loop", "-1", "-f", "mp3", "-i", "/srv/music/calm.mp3"], args.GetRange(args.IndexOf("/srv/music/calm.mp3") - 5, 6));
    }

    [Fact]
    public void Music_is_faded_ducked_under_the_voice_mixed_and_the_mix_brought_to_the_loudness_target()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan() with { Music = Music }, Output));

        Assert.EndsWith(
            "[4:a]" + Stereo + ",atrim=duration=12.5,asetpts=PTS-STARTPTS,volume=-20dB,afade=t=in:d=1,afade=t=out:st=10.5:d=2[music];" +
            "[3:a]" + Stereo + ",atrim=duration=12.5,asetpts=PTS-STARTPTS," + Compressor + ",asplit=2[voice][key];" +
            "[music][key]sidechaincompress=threshold=0.01:ratio=20:attack=10:release=600:knee=2[ducked];" +
            "[voice][ducked]amix=inputs=2:duration=first:normalize=0,apad=whole_dur=3,loudnorm=I=-14:TP=-2:LRA=11,aresample=48000,atrim=duration=12.5[a]",
            graph);
    }

    [Fact]
    public void Music_without_a_voiceover_is_levelled_alone_and_nothing_ducks_it()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(voiceover: null) with { Music = Music }, Output));

        Assert.EndsWith(
            "[4:a]" + Stereo + ",atrim=duration=12.5,asetpts=PTS-STARTPTS,volume=-20dB,afade=t=in:d=1,afade=t=out:st=10.5:d=2,apad=whole_dur=3,loudnorm=I=-14:TP=-2:LRA=11,aresample=48000,atrim=duration=12.5[a]",
            graph);
        Assert.DoesNotContain("sidechaincompress", graph);
    }

    [Fact]
    public void A_silent_track_is_not_levelled()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(voiceover: null), Output));

        Assert.EndsWith("[3:a]atrim=duration=12.5,asetpts=PTS-STARTPTS[a]", graph);
        Assert.DoesNotContain("loudnorm", graph);
    }

    [Fact]
    public void The_loudness_target_and_music_gain_come_from_the_settings()
    {
        var plan = Plan() with { Music = Music, Settings = new RenderSettings("veryfast", 20, LoudnessLufs: -16.5, TruePeakDb: -1.5, MusicGainDb: -12) };

        var graph = FilterGraph(RenderArguments.Build(plan, Output));

        Assert.Contains("volume=-12dB,", graph);
        Assert.Contains("loudnorm=I=-16.5:TP=-1.5:LRA=11,", graph);
    }

    [Fact]
    public void A_subtitle_file_is_burned_in_with_a_single_quoted_style()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(subtitles: "subtitles.srt"), Output));

        Assert.Contains($"[vjoin]subtitles=subtitles.srt:force_style='{PortraitStyle}'[v];", graph);
    }

    [Fact]
    public void Without_a_subtitle_file_nothing_is_burned_in()
    {
        var graph = FilterGraph(RenderArguments.Build(Plan(subtitles: null), Output));

        Assert.DoesNotContain("subtitles", graph);
        Assert.DoesNotContain("force_style", graph);
        var args = RenderArguments.Build(Plan(subtitles: null), Output).ToList();
        Assert.Equal(["-map", "[vjoin]", "-map", "[a]"], args.GetRange(args.IndexOf("-map"), 4));
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
        Assert.Contains("[1:a]aformat=", FilterGraph(args));
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
            Assert.Contains("stop_duration=2.433,", graph); // 218 frames: 73 + 72 + 73
            Assert.Contains("atrim=duration=7.25,", graph);
            Assert.Contains("Outline=1.5,", graph);
            Assert.Contains("loudnorm=I=-14.5:", FilterGraph(RenderArguments.Build(Plan() with { Settings = new RenderSettings("veryfast", 20, LoudnessLufs: -14.5) }, Output)));
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
