using System.Globalization;
using CliWrap;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Speech;
using VideoAkka.Pipeline.Media.Captions;

namespace VideoAkka.Tests.Integration;

/// <summary>Issue 13, captions people expect: on 9:16 the default style keeps captions out of the bottom 20 % where
/// short-video apps draw their buttons, and they are burned in just above it.</summary>
public sealed class CaptionSafeAreaSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("videoakka-captions-").FullName;
    private readonly ToolRunner _tools = new(MediaToolSettings.Default);

    [Fact]
    public async Task On_9_16_a_two_line_caption_mid_cue_shows_above_the_bottom_20_percent_and_nothing_inside_it()
    {
        var format = new VideoFormat(360, 640, 15);
        var draft = new DraftRenderer(_tools, new KenBurnsClip(_tools));
        var progress = new Progress<double>();
        var prompt = new ScenePrompt("Scene");
        var scene = new SceneTask("job", new JobFolder(_folder), 1, prompt, 2, format, 1, SceneSources.For(prompt, JobOptions.Default));
        var clip = Path.GetFileName(await draft.GenerateClipAsync(scene, await draft.GenerateImageAsync(scene, progress, default), progress, default));
        var folder = new JobFolder(_folder);
        var voiceover = await new Narrator(_tools, SpeechSettings.Default, [new EspeakEngine(_tools)]).SpeakAsync("Waves wash over the old stone pier tonight.", VoiceChoice.EspeakVoice("en"), folder, progress, default);
        var ass = await new CaptionWriter(new EspeakWordTimer(_tools)).WriteAsync(voiceover.Cues, CaptionOptions.Default, format, "en", folder, default);
        Assert.Contains("\\N", await File.ReadAllTextAsync(ass)); // the cue takes two lines: the lower one is nearest the edge
        var plan = new RenderPlan(_folder, [clip], "voiceover.mp3", Path.GetFileName(ass), voiceover.DurationSeconds, format, RenderSettings.Default);

        var captioned = await RenderToAsync(plan, "with.mp4");
        var plain = await RenderToAsync(plan with { SubtitleFile = null }, "without.mp4");

        var cue = voiceover.Cues[0];
        var middle = (cue.Start + cue.End) / 2;
        var unsafeBottom = Differing(await BandAsync(captioned, middle, 0.80, 0.20), await BandAsync(plain, middle, 0.80, 0.20));
        var above = Differing(await BandAsync(captioned, middle, 0.55, 0.25), await BandAsync(plain, middle, 0.55, 0.25));
        Assert.True(above > 500, $"only {above} pixels differ just above the bottom 20 %: no caption there");
        Assert.True(unsafeBottom < 20, $"{unsafeBottom} pixels of the bottom 20 % differ: the caption reaches into it");
    }

    private async Task<string> RenderToAsync(RenderPlan plan, string name)
    {
        var made = await new FinalRenderer(_tools).RenderAsync(plan, new Progress<double>(), default);
        var target = Path.Combine(_folder, name);
        File.Move(made, target);
        return target;
    }

    /// <summary>A horizontal band of one frame, from <paramref name="top"/> (fraction of the height) down
    /// <paramref name="height"/>, as 8-bit gray pixels.</summary>
    private static async Task<byte[]> BandAsync(string video, double seconds, double top, double height)
    {
        var pixels = new MemoryStream();
        await Cli.Wrap("ffmpeg")
            .WithArguments(["-v", "error", "-ss", seconds.ToString(CultureInfo.InvariantCulture), "-i", video, "-frames:v", "1",
                "-vf", string.Create(CultureInfo.InvariantCulture, $"crop=iw:trunc(ih*{height}):0:trunc(ih*{top}),format=gray"), "-f", "rawvideo", "-"])
            .WithStandardOutputPipe(PipeTarget.ToStream(pixels))
            .ExecuteAsync();
        return pixels.ToArray();
    }

    /// <summary>Pixels whose gray level differs by more than encoder noise.</summary>
    private static int Differing(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        Assert.NotEmpty(a);
        return a.Zip(b).Count(p => Math.Abs(p.First - p.Second) > 32);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
