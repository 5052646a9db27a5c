using System.Collections.Immutable;
using System.Text;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// Cuts a narration script into subtitle-sized pieces: sentences, and long sentences again at commas or spaces, so
/// that no cue is more than two short lines. Each piece is also spoken on its own, which is what times the cues.
/// </summary>
public static class SentenceSplitter
{
    public const int MaxCueCharacters = 84;

    public static ImmutableArray<string> Split(string script)
    {
        var pieces = ImmutableArray.CreateBuilder<string>();
        foreach (var sentence in Sentences(script))
        {
            foreach (var piece in CutToLength(sentence, MaxCueCharacters))
            {
                pieces.Add(piece);
            }
        }
        return pieces.ToImmutable();
    }

    private static IEnumerable<string> Sentences(string script)
    {
        var current = new StringBuilder();
        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (c is '\n' or '\r')
            {
                foreach (var s in Flush(current)) yield return s;
                continue;
            }
            current.Append(char.IsWhiteSpace(c) ? ' ' : c);
            var endsSentence = c is '.' or '!' or '?' or '…' or '。' or '！' or '？';
            if (endsSentence && (i + 1 == script.Length || char.IsWhiteSpace(script[i + 1])))
            {
                foreach (var s in Flush(current)) yield return s;
            }
        }
        foreach (var s in Flush(current)) yield return s;
    }

    private static IEnumerable<string> Flush(StringBuilder current)
    {
        var text = CollapseSpaces(current.ToString());
        current.Clear();
        if (text.Any(char.IsLetterOrDigit))
        {
            yield return text;
        }
    }

    private static string CollapseSpaces(string text) =>
        string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static IEnumerable<string> CutToLength(string sentence, int max)
    {
        var rest = sentence;
        while (rest.Length > max)
        {
            var cut = BestCut(rest, max);
            yield return rest[..cut].Trim();
            rest = rest[cut..].Trim();
        }
        if (rest.Length > 0)
        {
            yield return rest;
        }
    }

    /// <summary>Prefer a clause boundary in the second half of the window, then the last space, then a hard cut.</summary>
    private static int BestCut(string text, int max)
    {
        var window = text[..max];
        var clause = window.LastIndexOfAny([',', ';', ':', '—', '–']);
        if (clause >= max / 2)
        {
            return clause + 1;
        }
        var space = window.LastIndexOf(' ');
        return space > 0 ? space : max;
    }
}
