using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Speech;

namespace VideoAkka.Bench;

/// <summary>
/// Issue 13: the final render against the floor and the naive chain, side by side on the same inputs: 6 clips of 5 s
/// at 1280x720, a 30 s voiceover, 8 cues, libx264 veryfast CRF 23. The floor is one plain encode of the same 30 s
/// output (decode the finished video, encode it once); the naive chain is three encodes in a row (concatenate the
/// clips, lay the voiceover, burn the subtitles). Each figure is the median of a few runs, in wall time and in the
/// tools' CPU time (children's user + system, steadier on a shared machine); targets: our
/// render ≤ 1.25 × the floor and ≤ 0.40 × the naive chain. Prints figures only.
/// </summary>
internal static class PostprodBench
{
    private const int Runs = 3;
    private const double Seconds = 30;
    private static readonly VideoFormat Format = new(1280, 720, 30);
    private static readonly RenderSettings Settings = new("veryfast", 23);

    public static async Task RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("videoakka-postprod-").FullName;
        try
        {
            var tools = new ToolRunner(MediaToolSettings.Default);
            var clips = await MakeInputsAsync(tools, folder);
            var plan = new RenderPlan(folder, clips, "voice.wav", "subtitles.srt", Seconds, Format, Settings);
            var renderer = new FinalRenderer(tools);

            var ours = await MedianAsync(() => renderer.RenderAsync(plan, new Progress<double>(), default));
            File.Copy(Path.Combine(folder, JobFolder.FinalVideoName), Path.Combine(folder, "ours.mp4"), overwrite: true);
            var fancy = await MedianAsync(() => renderer.RenderAsync(
                plan with { Options = new RenderOptions(Transition: new SceneTransition(0.5)), Music = new MusicInput(Path.Combine(folder, "music.wav"), "wav") },
                new Progress<double>(), default));
            var floor = await MedianAsync(() => FfmpegAsync(tools, folder,
                ["-i", "ours.mp4", "-c:v", "libx264", "-preset", Settings.Preset, "-crf", Crf, "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "floor.mp4"]));
            var naive = await MedianAsync(() => NaiveChainAsync(tools, folder, clips));

            Console.WriteLine($"postprod {"what",-56} {"wall s",8} {"× floor",8} {"× naive",8} {"cpu s",8} {"× floor",8} {"× naive",8}");
            Row("our render (one pass: 6 clips, voice, 8 cues)", ours, floor, naive);
            Row("our render with 0.5 s fades and ducked music", fancy, floor, naive);
            Row("floor: one plain encode of the same 30 s output", floor, floor, naive);
            Row("naive chain: concat, then mux audio, then burn subs", naive, floor, naive);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Crf => Settings.Crf.ToString(CultureInfo.InvariantCulture);

    private static void Row(string what, (double Wall, double Cpu) time, (double Wall, double Cpu) floor, (double Wall, double Cpu) naive) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postprod {what,-56} {time.Wall,8:0.00} {time.Wall / floor.Wall,8:0.00} {time.Wall / naive.Wall,8:0.00} {time.Cpu,8:0.00} {time.Cpu / floor.Cpu,8:0.00} {time.Cpu / naive.Cpu,8:0.00}"));

    private static async Task<ImmutableArray<string>> MakeInputsAsync(ToolRunner tools, string folder)
    {
        var clips = ImmutableArray.CreateBuilder<string>();
        for (var i = 1; i <= 6; i++)
        {
            var name = $"clip_{i}.mp4";
            await FfmpegAsync(tools, folder, ["-f", "lavfi", "-i", $"testsrc2=s=1280x720:r=30:d=5", "-vf", $"hue=h={i * 50}", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", name]);
            clips.Add(name);
        }
        var voice = await new Narrator(tools, SpeechSettings.Default, [new EspeakEngine(tools)]).SpeakAsync(
            "This is the narration of a short video. It runs for about half a minute. Each sentence becomes a caption. " +
            "The captions are burned into the picture. Music plays quietly underneath. The clips change every five seconds. " +
            "Everything is rendered in a single pass. That is the whole point of this benchmark.",
            VoiceChoice.EspeakVoice("en"), new JobFolder(folder), new Progress<double>(), default);
        // Exactly 30 s of voice (padded with silence or cut), 8 cues spread over it.
        await FfmpegAsync(tools, folder, ["-i", Path.GetFileName(voice.Path), "-af", "apad", "-t", "30", "voice.wav"]);
        var cues = Enumerable.Range(0, 8).Select(i => new SubtitleCue(i * Seconds / 8, (i + 1) * Seconds / 8 - 0.1, $"Caption number {i + 1} of the benchmark")).ToList();
        await File.WriteAllTextAsync(Path.Combine(folder, "subtitles.srt"), SrtWriter.Write(cues));
        await FfmpegAsync(tools, folder, ["-f", "lavfi", "-i", "sine=f=220:r=48000:d=30", "music.wav"]);
        return clips.ToImmutable();
    }

    private static async Task NaiveChainAsync(ToolRunner tools, string folder, ImmutableArray<string> clips)
    {
        await File.WriteAllLinesAsync(Path.Combine(folder, "clips.txt"), clips.Select(c => $"file '{c}'"));
        string[] encode = ["-c:v", "libx264", "-preset", Settings.Preset, "-crf", Crf, "-pix_fmt", "yuv420p"];
        await FfmpegAsync(tools, folder, ["-f", "concat", "-safe", "0", "-i", "clips.txt", "-t", "30", .. encode, "naive1.mp4"]);
        await FfmpegAsync(tools, folder, ["-i", "naive1.mp4", "-i", "voice.wav", "-map", "0:v", "-map", "1:a", .. encode, "-c:a", "aac", "-b:a", "128k", "-shortest", "naive2.mp4"]);
        await FfmpegAsync(tools, folder, ["-i", "naive2.mp4", "-vf", "subtitles=subtitles.srt", .. encode, "-c:a", "copy", "naive3.mp4"]);
    }

    private static Task FfmpegAsync(ToolRunner tools, string folder, string[] args) =>
        tools.RunAsync(tools.Settings.Ffmpeg, ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", .. args], folder, default);

    /// <summary>Median wall time and median CPU time (user + system) of the tools run, over <see cref="Runs"/> runs.</summary>
    private static async Task<(double Wall, double Cpu)> MedianAsync(Func<Task> run)
    {
        var walls = new List<double>();
        var cpus = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var cpu = ChildCpuSeconds();
            var clock = Stopwatch.StartNew();
            await run();
            walls.Add(clock.Elapsed.TotalSeconds);
            cpus.Add(ChildCpuSeconds() - cpu);
        }
        walls.Sort();
        cpus.Sort();
        return (walls[Runs / 2], cpus[Runs / 2]);
    }

    /// <summary>The CPU time of this process's finished children (cutime + cstime in /proc/self/stat): ffmpeg's own
    /// work, whatever else the shared machine is doing, which wall time is not.</summary>
    private static double ChildCpuSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0: cutime is field 16, cstime field 17; 100 ticks a second.
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }
}
