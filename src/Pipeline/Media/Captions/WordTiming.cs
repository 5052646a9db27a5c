using System.Collections.Immutable;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>Places a piece's words inside the time its speech takes.</summary>
public static class WordTiming
{
    /// <summary>No measurement: each word gets a share of the piece in proportion to its characters.</summary>
    public static ImmutableArray<TimedWord> Proportional(IReadOnlyList<string> words, double start, double duration) =>
        FromWeights(words, [.. words.Select(w => (double)w.Length + 1)], 0, 0, start, duration);

    /// <summary>
    /// Words measured on their own (each word's sound, the silence before the first and after the last), scaled so
    /// that together they fill the real piece's <paramref name="duration"/>: the measured speech has the same rhythm as
    /// the real one, only its overall pace differs.
    /// </summary>
    public static ImmutableArray<TimedWord> FromWeights(IReadOnlyList<string> words, IReadOnlyList<double> weights, double lead, double tail,
        double start, double duration)
    {
        if (words.Count != weights.Count)
        {
            throw new ArgumentException("one weight per word is needed", nameof(weights));
        }
        var total = lead + tail + weights.Sum();
        var scale = total > 0 ? duration / total : 0;
        var timed = ImmutableArray.CreateBuilder<TimedWord>(words.Count);
        var at = start + lead * scale;
        for (var i = 0; i < words.Count; i++)
        {
            var end = at + weights[i] * scale;
            timed.Add(new TimedWord(at, end, words[i]));
            at = end;
        }
        return timed.MoveToImmutable();
    }
}
