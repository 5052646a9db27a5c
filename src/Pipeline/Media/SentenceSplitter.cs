using System.Collections.Immutable;
using System.Text;
using VideoAkka.Pipeline.Media.Text;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// Cuts a narration script into subtitle-sized pieces: sentences, and long sentences again at clause marks or line
/// break opportunities, so that no cue is more than two short lines. Each piece is also spoken on its own, which is
/// what times the cues. Sizes are display columns (<see cref="DisplayWidth"/>), so a Chinese cue holds half as many
/// characters as an English one and takes the same room on screen.
/// </summary>
public static class SentenceSplitter
{
    /// <summary>Two caption lines of <see cref="SrtWriter.LineCharacters"/> columns.</summary>
    public const int MaxCueCharacters = 84;

    /// <summary>Stops that end a sentence only before a space or the end (Latin "2.5" and "e.g." do not split).</summary>
    private const string SpacedStops = ".!?…";

    /// <summary>Stops that end a sentence wherever they stand: CJK 。！？ (no space follows them), Devanagari danda
    /// । and ॥, Arabic ؟ and the Urdu full stop ۔, Ethiopic ።, Myanmar ။, Khmer ។, Armenian ։, and ‼ ⁇ ⁈ ⁉.</summary>
    private const string UnspacedStops = "。！？｡।॥؟۔።။។։‼⁇⁈⁉";

    /// <summary>Closing quotes and brackets that belong to the sentence they follow: 「…。」 ends after the 」.</summary>
    private const string Closers = "\"'’”»」』）)]】〕〉》";

    /// <summary>Marks after which a long sentence is best cut: Latin, CJK (、，；：), Arabic (، ؛) and dashes.</summary>
    private const string ClauseMarks = ",;:—–、，；：،؛";

    public static ImmutableArray<string> Split(string script)
    {
        var pieces = ImmutableArray.CreateBuilder<string>();
        foreach (var sentence in Sentences(script))
        {
            foreach (var piece in CutToWidth(sentence, MaxCueCharacters))
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
            var spaced = SpacedStops.Contains(c);
            if (!spaced && !UnspacedStops.Contains(c))
            {
                continue;
            }
            while (i + 1 < script.Length && (Closers.Contains(script[i + 1]) || SpacedStops.Contains(script[i + 1]) || UnspacedStops.Contains(script[i + 1])))
            {
                current.Append(script[++i]);
            }
            if (!spaced || i + 1 == script.Length || char.IsWhiteSpace(script[i + 1]))
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

    private static IEnumerable<string> CutToWidth(string sentence, int max)
    {
        var rest = sentence;
        while (DisplayWidth.Of(rest) > max)
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

    /// <summary>Prefer a clause mark in the second half of the window, then the last break opportunity (a space, or
    /// between CJK characters where kinsoku allows), then a hard cut between graphemes.</summary>
    private static int BestCut(string text, int max)
    {
        var (offset, width, clause, lastFit) = (0, 0, 0, 0);
        foreach (var unit in BreakUnits.Of(text))
        {
            if (width + unit.VisibleWidth > max)
            {
                break;
            }
            offset += unit.Text.Length;
            width += unit.Width;
            lastFit = offset;
            if (unit.Visible.Length > 0 && ClauseMarks.Contains(unit.Visible[^1]) && width >= max / 2)
            {
                clause = offset;
            }
        }
        if (clause > 0)
        {
            return clause;
        }
        return lastFit > 0 ? lastFit : DisplayWidth.FittingPrefixLength(text, max);
    }
}
