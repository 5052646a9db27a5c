using System.Globalization;
using System.Text;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// The final render as a pure function from a plan to ffmpeg's argument list: one invocation, one video encode.
/// Each clip is normalised (size, pixel aspect, frame rate) so clips from any backend concatenate; the result is
/// held on its last frame or cut to the plan's duration; subtitles are burned in by libass.
/// </summary>
public static class RenderArguments
{
    public static IReadOnlyList<string> Build(RenderPlan plan, string outputFile)
    {
        if (plan.ClipFiles.IsDefaultOrEmpty)
        {
            throw new ArgumentException("a render needs at least one clip", nameof(plan));
        }
        var (w, h, fps) = (plan.Format.Width, plan.Format.Height, plan.Format.Fps);
        var duration = Seconds(plan.DurationSeconds);
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats" };
        foreach (var clip in plan.ClipFiles)
        {
            args.AddRange(["-i", clip]);
        }
        var audioInput = plan.ClipFiles.Length;
        if (plan.VoiceoverFile is not null)
        {
            args.AddRange(["-i", plan.VoiceoverFile]);
        }
        else
        {
            args.AddRange(["-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000"]);
        }

        var graph = new StringBuilder();
        for (var i = 0; i < plan.ClipFiles.Length; i++)
        {
            graph.Append(CultureInfo.InvariantCulture,
                $"[{i}:v]scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={fps},format=yuv420p[c{i}];");
        }
        for (var i = 0; i < plan.ClipFiles.Length; i++)
        {
            graph.Append(CultureInfo.InvariantCulture, $"[c{i}]");
        }
        // Hold the last frame for as long as the narration could outlast the clips, then cut to the exact length.
        graph.Append(CultureInfo.InvariantCulture,
            $"concat=n={plan.ClipFiles.Length}:v=1:a=0,tpad=stop_mode=clone:stop_duration={duration},trim=duration={duration},setpts=PTS-STARTPTS");
        if (plan.SubtitleFile is not null && plan.SubtitleFile.EndsWith(".ass", StringComparison.Ordinal))
        {
            // A styled ASS script (Captions/AssWriter) carries its own styles and frame: libass renders it as written.
            graph.Append(",ass=").Append(plan.SubtitleFile);
        }
        else if (plan.SubtitleFile is not null)
        {
            graph.Append(",subtitles=").Append(plan.SubtitleFile).Append(":force_style='").Append(SubtitleStyle(plan.Format)).Append('\'');
        }
        // anullsrc never ends, and a voiceover may be a little longer than the plan: trim the audio too.
        graph.Append(CultureInfo.InvariantCulture, $"[v];[{audioInput}:a]atrim=duration={duration},asetpts=PTS-STARTPTS[a]");

        args.AddRange(["-filter_complex", graph.ToString()]);
        args.AddRange(["-map", "[v]", "-map", "[a]"]);
        args.AddRange(["-c:v", "libx264", "-preset", plan.Settings.Preset, "-crf", plan.Settings.Crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", "-r", fps.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2"]);
        // trim/atrim cut the streams; -t also bounds the output, so no input can make the render run on forever.
        args.AddRange(["-t", duration, "-movflags", "+faststart", "-f", "mp4", outputFile]);
        return args;
    }

    /// <summary>libass sizes SRT text against a 288-line script whatever the video's height, so the size is picked
    /// per shape: narrow portrait frames need a smaller size to fit a line. Encoding -1 makes libass find each line's
    /// base direction (VSFilter's default is left to right, which put an Arabic cue's full stop on its right end).</summary>
    public static string SubtitleStyle(Jobs.VideoFormat format)
    {
        var portrait = format.Height > format.Width;
        var fontSize = portrait ? 10 : 14;
        var marginV = portrait ? 40 : 24;
        return string.Create(CultureInfo.InvariantCulture,
            $"FontName=Noto Sans,FontSize={fontSize},PrimaryColour=&H00FFFFFF,OutlineColour=&H00000000,BorderStyle=1,Outline=1.5,Shadow=0,Alignment=2,MarginV={marginV},MarginL=16,MarginR=16,Encoding=-1");
    }

    public static string Seconds(double seconds) => seconds > 0.001
        ? seconds.ToString("0.###", CultureInfo.InvariantCulture)
        : throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "a render must last more than a millisecond");
}
