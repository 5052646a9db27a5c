using System.Collections.Immutable;
using System.Globalization;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// Speaks a script with espeak-ng into voiceover.mp3. Each subtitle-sized piece is spoken on its own and the pieces
/// are joined in order, so each cue starts and ends exactly with its own speech.
/// </summary>
public sealed class EspeakVoiceover(ToolRunner tools)
{
    private const string WorkFolder = "tts";

    public async Task<Voiceover> SpeakAsync(string script, string voice, JobFolder folder, IProgress<double> progress, CancellationToken cancellationToken)
    {
        // Markdown markers and emoji are not spoken (see CaptionText), so the speech matches the captions word for word.
        var pieces = SentenceSplitter.Split(Captions.CaptionText.Speakable(script));
        if (pieces.IsEmpty)
        {
            throw new InvalidOperationException("the script has no words to speak");
        }
        var work = Directory.CreateDirectory(Path.Combine(folder.Path, WorkFolder)).FullName;
        var durations = new double[pieces.Length];
        var list = new List<string>(pieces.Length);
        for (var i = 0; i < pieces.Length; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"piece_{i + 1:000}");
            // The text goes through a file, never the command line: it is the client's, and may start with '-'.
            await File.WriteAllTextAsync(Path.Combine(work, name + ".txt"), pieces[i], cancellationToken).ConfigureAwait(false);
            await tools.RunAsync(tools.Settings.EspeakNg, ["-v", voice, "-f", name + ".txt", "-w", name + ".wav"], work, cancellationToken).ConfigureAwait(false);
            durations[i] = WavDuration.Seconds(Path.Combine(work, name + ".wav"));
            list.Add($"file '{name}.wav'");
            progress.Report(0.9 * (i + 1) / pieces.Length);
        }
        await File.WriteAllLinesAsync(Path.Combine(work, "pieces.txt"), list, cancellationToken).ConfigureAwait(false);

        var output = folder.Voiceover;
        await tools.RunAsync(
            tools.Settings.Ffmpeg,
            ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", "pieces.txt",
             "-c:a", "libmp3lame", "-b:a", "128k", output],
            work,
            cancellationToken).ConfigureAwait(false);
        // The speech's length is the sum of its pieces: the mp3's own header adds the encoder's padding (tens of ms),
        // which ffmpeg trims again when it decodes.
        return new Voiceover(output, durations.Sum(), CueTiming.FromSpokenDurations(pieces, durations));
    }
}
