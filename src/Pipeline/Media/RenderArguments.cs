using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// The final render as a pure function from a plan to ffmpeg's argument list: one invocation, one video encode.
/// The graph has four separate steps: each clip is fitted to the frame and cut (or held, or looped) to its scene's
/// share of the narration; the clips are joined (cuts or crossfades); subtitles are burned in by libass; the sound
/// is mixed (voice, ducked music) and brought to the loudness target.
/// </summary>
public static class RenderArguments
{
    /// <summary>How long the music fades in at the start and out at the end.</summary>
    public const double MusicFadeInSeconds = 1;
    public const double MusicFadeOutSeconds = 2;

    public static IReadOnlyList<string> Build(RenderPlan plan, string outputFile)
    {
        if (plan.ClipFiles.IsDefaultOrEmpty)
        {
            throw new ArgumentException("a render needs at least one clip", nameof(plan));
        }
        var fps = plan.Format.Fps;
        var duration = Seconds(plan.DurationSeconds);
        var frames = SceneShares.Frames(plan.SceneSeconds.IsDefault ? [.. plan.ClipFiles.Select(_ => 1.0)] : plan.SceneSeconds, plan.DurationSeconds, fps);
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats" };
        foreach (var clip in plan.ClipFiles)
        {
            // Decoded at most 8192 x 8192, as on import: a clip whose frame size grows mid-stream (a copied stream is
            // only probed at its start) cannot decode into gigabytes.
            args.AddRange(["-max_pixels", MediaNormalizer.MaxPixelsText]);
            if (plan.Options.ClipFill == ClipFill.Loop)
            {
                // The demuxer loops the file: no decoded frames are buffered to play them again.
                args.AddRange(["-stream_loop", "-1"]);
            }
            args.AddRange(["-i", clip]);
        }
        var voiceInput = plan.ClipFiles.Length;
        if (plan.VoiceoverFile is not null)
        {
            args.AddRange(["-i", plan.VoiceoverFile]);
        }
        else
        {
            args.AddRange(["-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000"]);
        }
        var musicInput = voiceInput + 1;
        if (plan.Music is { } music)
        {
            args.AddRange(["-stream_loop", "-1", "-f", music.Demuxer, "-i", music.Path]);
        }

        var graph = new StringBuilder();
        var fade = FadeFrames(plan.Options.Transition, frames, fps);
        for (var i = 0; i < plan.ClipFiles.Length; i++)
        {
            // A clip under a crossfade overlaps the next one by the fade, so the total stays the narration's length.
            var length = frames[i] + (i < plan.ClipFiles.Length - 1 ? fade : 0);
            graph.Append(ClipSteps(i, length, plan.Format, plan.Options)).Append(';');
        }
        graph.Append(Join(frames, fade, fps)).Append(';');
        var video = "vjoin";
        if (plan.SubtitleFile is not null && plan.SubtitleFile.EndsWith(".ass", StringComparison.Ordinal))
        {
            // Subtitles, one step of their own on the joined video: a styled ASS script (Captions/AssWriter) carries
            // its own styles and frame, so libass renders it as written.
            graph.Append(CultureInfo.InvariantCulture, $"[vjoin]ass={plan.SubtitleFile}[v];");
            video = "v";
        }
        else if (plan.SubtitleFile is not null)
        {
            // Subtitles: one step of its own, on the joined video.
            graph.Append(CultureInfo.InvariantCulture, $"[vjoin]subtitles={plan.SubtitleFile}:force_style='{SubtitleStyle(plan.Format)}'[v];");
            video = "v";
        }
        graph.Append(Sound(plan, voiceInput, musicInput, duration));

        args.AddRange(["-filter_complex", graph.ToString()]);
        args.AddRange(["-map", $"[{video}]", "-map", "[a]"]);
        args.AddRange(["-c:v", "libx264", "-preset", plan.Settings.Preset, "-crf", plan.Settings.Crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", "-r", fps.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2"]);
        // trim/atrim cut the streams; -t also bounds the output, so no input can make the render run on forever.
        args.AddRange(["-t", duration, "-movflags", "+faststart", "-f", "mp4", outputFile]);
        return args;
    }

    /// <summary>One clip to the frame: fitted (cover crops, contain pads), square pixels, the job's frame rate, then
    /// exactly <paramref name="frames"/> long: a short clip holds its last frame (a looped one is looped by its input).
    /// A clip already at the frame's size passes scale and crop untouched.</summary>
    public static string ClipSteps(int input, int frames, VideoFormat format, RenderOptions options)
    {
        var (w, h, fps) = (format.Width, format.Height, format.Fps);
        var fit = options.Fit == FitMode.Contain
            ? $"scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2"
            : $"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}";
        var hold = options.ClipFill == ClipFill.Hold
            ? string.Create(CultureInfo.InvariantCulture, $"tpad=stop_mode=clone:stop_duration={Seconds((double)frames / fps)},")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{input}:v]{fit},setsar=1,fps={fps},format=yuv420p,{hold}trim=end_frame={frames},setpts=PTS-STARTPTS[c{input}]");
    }

    /// <summary>The clips in order: a concat of hard cuts, or a chain of crossfades each starting where the previous
    /// scene's share ends.</summary>
    private static string Join(ImmutableArray<int> frames, int fade, int fps)
    {
        var n = frames.Length;
        if (fade == 0 || n == 1)
        {
            var inputs = string.Concat(Enumerable.Range(0, n).Select(i => $"[c{i}]"));
            return string.Create(CultureInfo.InvariantCulture, $"{inputs}concat=n={n}:v=1:a=0[vjoin]");
        }
        var steps = new List<string>();
        var previous = "c0";
        var offset = 0;
        for (var i = 1; i < n; i++)
        {
            offset += frames[i - 1];
            var label = i == n - 1 ? "vjoin" : $"x{i}";
            steps.Add(string.Create(CultureInfo.InvariantCulture,
                $"[{previous}][c{i}]xfade=transition=fade:duration={Seconds((double)fade / fps)}:offset={Seconds((double)offset / fps)}[{label}]"));
            previous = label;
        }
        return string.Join(';', steps);
    }

    /// <summary>The fade in frames: at most half of the shortest scene, so two fades never overlap in one scene.</summary>
    private static int FadeFrames(SceneTransition? transition, ImmutableArray<int> frames, int fps) =>
        transition is null || frames.Length < 2
            ? 0
            : Math.Min((int)Math.Round(transition.Seconds * fps), frames.Min() / 2);

    /// <summary>
    /// Evens out the voice before the mix (4:1 above about −26 dBFS). Speech has peaks far above its loudness (espeak-ng:
    /// about 17 dB), so loudnorm's true-peak limiter held one-pass renders 0.6 to 1.7 LU under −14, and a two-pass
    /// (measured) loudnorm still 0.8 to 1.1 LU under; with the voice compressed, one pass lands within 0.2 LU.
    /// </summary>
    private const int LoudnormWindowSeconds = 3;

    public const string VoiceCompressor = "acompressor=threshold=0.05:ratio=4:attack=5:release=80:makeup=2";

    /// <summary>The sound: the voice (or silence), the music under it ducked by the voice through a sidechain
    /// compressor and faded in and out, the mix brought to the loudness target with a true-peak ceiling.</summary>
    private static string Sound(RenderPlan plan, int voiceInput, int musicInput, string duration)
    {
        var settings = plan.Settings;
        var stereo = "aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo";
        var cut = $"atrim=duration={duration},asetpts=PTS-STARTPTS";
        // loudnorm works on 3 s windows: given less (ffmpeg 5.1), it left a 2.7 s narration at -31 LUFS. Padded with
        // silence to 3 s it levels short videos too (-15 LUFS measured); the padding is cut off again after it.
        var level = string.Create(CultureInfo.InvariantCulture,
            $"apad=whole_dur={LoudnormWindowSeconds},loudnorm=I={settings.LoudnessLufs:0.#}:TP={settings.TruePeakDb:0.#}:LRA=11,aresample=48000,atrim=duration={duration}");
        if (plan.Music is null)
        {
            return plan.VoiceoverFile is null
                ? $"[{voiceInput}:a]{cut}[a]"
                : $"[{voiceInput}:a]{stereo},{cut},{VoiceCompressor},{level}[a]";
        }
        var fadeOutStart = Math.Max(0, plan.DurationSeconds - MusicFadeOutSeconds);
        var music = string.Create(CultureInfo.InvariantCulture,
            $"[{musicInput}:a]{stereo},{cut},volume={settings.MusicGainDb:0.#}dB,afade=t=in:d={MusicFadeInSeconds},afade=t=out:st={fadeOutStart:0.###}:d={MusicFadeOutSeconds}");
        if (plan.VoiceoverFile is null)
        {
            return $"{music},{level}[a]";
        }
        // The voice keys the compressor: about −40 dBFS of speech starts pulling the music down, 20:1 takes it well
        // under the voice; the slow release brings it back in pauses without pumping between words.
        return $"{music}[music];[{voiceInput}:a]{stereo},{cut},{VoiceCompressor},asplit=2[voice][key];"
            + "[music][key]sidechaincompress=threshold=0.01:ratio=20:attack=10:release=600:knee=2[ducked];"
            + $"[voice][ducked]amix=inputs=2:duration=first:normalize=0,{level}[a]";
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
