using System.Collections.Immutable;
using System.Globalization;
using System.Security;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>
/// Times the words of one spoken piece. espeak-ng's CLI prints no word times (its library API has word events, but a
/// native callback in the service's process is a crash risk and process-wide state), so the piece is spoken once more
/// with an SSML break after every word: the sounds between the breaks are the words' own lengths, measured from the
/// samples, and <see cref="WordTiming.FromWeights"/> scales them into the real piece. It needs only the piece's text
/// and where its speech lies, so it works behind any TTS engine whose language espeak-ng knows.
/// </summary>
public sealed class EspeakWordTimer(ToolRunner tools)
{
    /// <summary>Longer than any pause espeak-ng makes inside a word (stop consonants close for under 100 ms).</summary>
    private const int BreakMilliseconds = 300;
    private const double MinBreakSeconds = 0.2;

    public async Task<ImmutableArray<TimedWord>> TimeAsync(string piece, double start, double duration, string voice, string workFolder,
        CancellationToken cancellationToken)
    {
        var words = CaptionText.Words(piece);
        if (words.Length < 2)
        {
            return WordTiming.Proportional(words, start, duration);
        }
        Directory.CreateDirectory(workFolder);
        var name = "words_" + Guid.NewGuid().ToString("N")[..12];
        var ssml = "<speak>" + string.Join(string.Create(CultureInfo.InvariantCulture, $"<break time=\"{BreakMilliseconds}ms\"/>"),
            words.Select(SecurityElement.Escape)) + "</speak>";
        // The text goes through a file, never the command line: it is the client's.
        await File.WriteAllTextAsync(Path.Combine(workFolder, name + ".xml"), ssml, cancellationToken).ConfigureAwait(false);
        try
        {
            await tools.RunAsync(tools.Settings.EspeakNg, ["-m", "-v", voice, "-f", name + ".xml", "-w", name + ".wav"], workFolder, cancellationToken)
                .ConfigureAwait(false);
            var (sounds, length) = WavSpeech.Segments(Path.Combine(workFolder, name + ".wav"), MinBreakSeconds);
            if (sounds.Count != words.Length)
            {
                // A word espeak-ng splits with a long pause of its own (an abbreviation, a number): fall back rather
                // than give words the wrong sounds.
                return WordTiming.Proportional(words, start, duration);
            }
            var weights = new double[words.Length];
            for (var i = 0; i < words.Length; i++)
            {
                weights[i] = sounds[i].End - sounds[i].Start;
            }
            return WordTiming.FromWeights(words, weights, sounds[0].Start, Math.Max(0, length - sounds[^1].End), start, duration);
        }
        finally
        {
            File.Delete(Path.Combine(workFolder, name + ".xml"));
            File.Delete(Path.Combine(workFolder, name + ".wav"));
        }
    }
}
