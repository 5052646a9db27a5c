using System.Globalization;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Speech;
using VideoAkka.Pipeline.Media.Captions;

namespace VideoAkka.Bench;

/// <summary>
/// ./videoakka bench captions [folder]: renders one short video per caption style with the service's own parts (draft
/// card, espeak-ng, CaptionWriter, the final render) and saves a still from the middle of a word as
/// {folder}/{style}.png (default docs/gallery), for the README's gallery.
/// </summary>
public static class CaptionGallery
{
    private const string Script = "Tiny lighthouse keepers watch the waves all night long. Ships come home.";

    private static readonly (string Name, VideoFormat Format, CaptionOptions Options)[] Styles =
    [
        ("sentence-9x16-default", new VideoFormat(540, 960, 15), CaptionOptions.Default),
        ("karaoke-9x16-uppercase-box", new VideoFormat(540, 960, 15), new CaptionOptions(CaptionMode.Karaoke,
            new CaptionStyleRequest(Uppercase: true, Box: true, Size: 68, MaxChars: 16))),
        ("word-9x16-center", new VideoFormat(540, 960, 15), new CaptionOptions(CaptionMode.Word,
            new CaptionStyleRequest(Position: CaptionPosition.Center, Size: 110, Outline: 6))),
        ("sentence-9x16-top-yellow", new VideoFormat(540, 960, 15), new CaptionOptions(CaptionMode.Sentence,
            new CaptionStyleRequest(Position: CaptionPosition.Top, Margin: 160, PrimaryColour: new CaptionColour(255, 221, 0, 255)))),
        ("karaoke-16x9-default", new VideoFormat(960, 540, 15), new CaptionOptions(CaptionMode.Karaoke, CaptionStyleRequest.None)),
    ];

    public static async Task RunAsync(string outputFolder)
    {
        var tools = new ToolRunner(MediaToolSettings.Default);
        Directory.CreateDirectory(outputFolder);
        foreach (var (name, format, options) in Styles)
        {
            var work = Directory.CreateTempSubdirectory("videoakka-gallery-").FullName;
            try
            {
                var folder = new JobFolder(work);
                var progress = new Progress<double>();
                var draft = new DraftRenderer(tools, new KenBurnsClip(tools));
                var prompt = new ScenePrompt("A lighthouse at dusk");
                var scene = new SceneTask("gallery", folder, 1, prompt, 6, format, 7, SceneSources.For(prompt, JobOptions.Default));
                var clip = await draft.GenerateClipAsync(scene, await draft.GenerateImageAsync(scene, progress, default), progress, default);
                var voiceover = await new Narrator(tools, SpeechSettings.Default, [new EspeakEngine(tools)]).SpeakAsync(Script, VoiceChoice.EspeakVoice("en"), folder, progress, default);
                var ass = await new CaptionWriter(new EspeakWordTimer(tools)).WriteAsync(voiceover.Cues, options, format, "en", folder, default);
                var plan = new RenderPlan(work, [Path.GetFileName(clip)], "voiceover.mp3", Path.GetFileName(ass), voiceover.DurationSeconds, format, RenderSettings.Default);
                var video = await new FinalRenderer(tools).RenderAsync(plan, progress, default);
                // The middle of the cue: in karaoke and word modes a word is lit there.
                var cue = voiceover.Cues[0];
                var still = Path.GetFullPath(Path.Combine(outputFolder, name + ".png"));
                await tools.RunAsync(tools.Settings.Ffmpeg,
                    ["-v", "error", "-y", "-ss", ((cue.Start + cue.End) / 2).ToString("0.###", CultureInfo.InvariantCulture), "-i", video, "-frames:v", "1", still],
                    work, default);
                Console.WriteLine($"{name}: {still}");
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }
}
