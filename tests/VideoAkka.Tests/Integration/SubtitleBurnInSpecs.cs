using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Speech;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Must show 2: subtitles are really burned into the picture, where a viewer reads them.</summary>
public sealed class SubtitleBurnInSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("videoakka-subs-").FullName;
    private readonly ToolRunner _tools = new(MediaToolSettings.Default);

    [Fact]
    public async Task A_frame_in_the_middle_of_a_cue_differs_from_the_same_frame_without_subtitles_in_the_bottom_third_only()
    {
        var format = new VideoFormat(360, 640, 15);
        var draft = new DraftRenderer(_tools, new KenBurnsClip(_tools));
        var progress = new Progress<double>();
        var clips = new List<string>();
        for (var i = 1; i <= 2; i++)
        {
            var prompt = new ScenePrompt($"Scene {i}");
            var scene = new SceneTask("job", new JobFolder(_folder), i, prompt, 1.5, format, i, SceneSources.For(prompt, JobOptions.Default));
            clips.Add(Path.GetFileName(await draft.GenerateClipAsync(scene, await draft.GenerateImageAsync(scene, progress, default), progress, default)));
        }
        var voiceover = await new Narrator(_tools, SpeechSettings.Default, [new EspeakEngine(_tools)])
            .SpeakAsync("The first cue is spoken here. And a second one follows it.", VoiceChoice.EspeakVoice("en"), new JobFolder(_folder), progress, default);
        await File.WriteAllTextAsync(Path.Combine(_folder, "subtitles.srt"), SrtWriter.Write(voiceover.Cues));
        var plan = new RenderPlan(_folder, [.. clips], "voiceover.mp3", "subtitles.srt", voiceover.DurationSeconds, format, RenderSettings.Default);

        var subtitled = await RenderToAsync(plan, "with.mp4");
        var plain = await RenderToAsync(plan with { SubtitleFile = null }, "without.mp4");

        var cue = voiceover.Cues[0];
        var middle = (cue.Start + cue.End) / 2;
        var bottomDiffers = DifferingPixels(await MediaInfo.GrayBandAsync(subtitled, middle, "bottom"), await MediaInfo.GrayBandAsync(plain, middle, "bottom"));
        var topDiffers = DifferingPixels(await MediaInfo.GrayBandAsync(subtitled, middle, "top"), await MediaInfo.GrayBandAsync(plain, middle, "top"));
        Assert.True(bottomDiffers > 500, $"only {bottomDiffers} pixels of the bottom third differ: no subtitle there");
        Assert.True(topDiffers < 50, $"{topDiffers} pixels of the top third differ: the difference is not the subtitle");
    }

    private async Task<string> RenderToAsync(RenderPlan plan, string name)
    {
        var made = await new FinalRenderer(_tools).RenderAsync(plan, new Progress<double>(), default);
        var target = Path.Combine(_folder, name);
        File.Move(made, target);
        return target;
    }

    /// <summary>Pixels whose gray level differs by more than encoder noise.</summary>
    private static int DifferingPixels(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        Assert.NotEmpty(a);
        return a.Zip(b).Count(p => Math.Abs(p.First - p.Second) > 32);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
