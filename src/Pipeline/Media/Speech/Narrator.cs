using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>
/// Speaks a script into voiceover.mp3 with the engine the request chose. Each subtitle-sized sentence is spoken on its
/// own, up to <see cref="SpeechSettings.ParallelPieces"/> at once, checked (<see cref="SpeechChecks"/>), and the pieces
/// are joined in script order: each cue starts and ends exactly with its own speech, however the pieces overlapped.
/// </summary>
public sealed class Narrator : IVoiceovers
{
    private const string WorkFolder = "tts";

    private readonly ToolRunner _tools;
    private readonly SpeechSettings _settings;
    private readonly FrozenDictionary<string, ITextToSpeech> _engines;

    public Narrator(ToolRunner tools, SpeechSettings settings, IEnumerable<ITextToSpeech> engines)
    {
        _tools = tools;
        _settings = settings;
        _engines = engines.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public async Task<Voiceover> SpeakAsync(string script, VoiceChoice voice, JobFolder folder, IProgress<double> progress, CancellationToken cancellationToken)
    {
        // Markdown markers and emoji are not spoken (see CaptionText), so the speech matches the captions word for word.
        var pieces = SentenceSplitter.Split(Captions.CaptionText.Speakable(script));
        if (pieces.IsEmpty)
        {
            throw new InvalidOperationException("the script has no words to speak");
        }
        if (!_engines.TryGetValue(voice.Engine, out var engine))
        {
            // The API refuses engines it has not configured; a worker configured differently says so here.
            throw new SpeechRefusedException($"the {voice.Engine} speech engine is not configured on this worker");
        }
        var work = Directory.CreateDirectory(Path.Combine(folder.Path, WorkFolder)).FullName;
        var names = Enumerable.Range(1, pieces.Length).Select(i => string.Create(CultureInfo.InvariantCulture, $"piece_{i:000}")).ToArray();
        var durations = new double[pieces.Length];
        var spoken = 0;
        await using var clock = new PiecesClock(progress);
        // Parallel.ForEachAsync stops starting pieces at the first failure and cancels the running ones.
        await Parallel.ForEachAsync(Enumerable.Range(0, pieces.Length),
            new ParallelOptions { MaxDegreeOfParallelism = _settings.ParallelPieces, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var piece = new SpeechPiece(pieces[i], voice, work, names[i]);
                using (var running = clock.Start())
                {
                    await engine.SpeakAsync(piece, running, ct).ConfigureAwait(false);
                }
                durations[i] = SpeechChecks.Verify(piece.WavPath, piece.Text, _settings.Checks, voice.Rate ?? 1);
                progress.Report(0.9 * Interlocked.Increment(ref spoken) / pieces.Length);
            }).ConfigureAwait(false);

        await File.WriteAllLinesAsync(Path.Combine(work, "pieces.txt"), names.Select(n => $"file '{n}.wav'"), cancellationToken).ConfigureAwait(false);
        var output = folder.Voiceover;
        await _tools.RunAsync(
            _tools.Settings.Ffmpeg,
            ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", "pieces.txt",
             "-c:a", "libmp3lame", "-b:a", "128k", output],
            work,
            cancellationToken).ConfigureAwait(false);
        // The speech's length is the sum of its pieces: the mp3's own header adds the encoder's padding (tens of ms),
        // which ffmpeg trims again when it decodes.
        var cues = CueTiming.FromSpokenDurations(pieces, durations);
        return new Voiceover(output, durations.Sum(), cues)
        {
            Sentences = [.. cues.Select((c, i) => new SpokenSentence(c.Text, c.Start, c.End - c.Start, Path.Combine(WorkFolder, names[i] + ".wav")))],
        };
    }
}
