using System.Collections.Immutable;
using VideoAkka.Pipeline.Media.Text;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>
/// Groups a cue's tokens into lines and pages for the ASS captions. The tokens already are the break opportunities of
/// <see cref="BreakUnits"/> (<see cref="CaptionText.Tokens"/>: words, CJK characters under kinsoku, Thai dictionary
/// words), so every line break here is one the script allows; widths are display columns (<see cref="DisplayWidth"/>,
/// a CJK character counts two) as in <see cref="Text.CaptionLines"/>. Unlike that breaker, which returns strings, this
/// keeps token indexes (karaoke and word modes time and highlight each token) and never cuts a token.
/// </summary>
public static class CaptionPages
{
    /// <summary>Groups consecutive tokens into pages of at most <paramref name="maxLines"/> lines of at most
    /// <paramref name="maxWidth"/> columns (a single wider token gets a line of its own). Each page is a list of
    /// lines, each line a list of token indexes.</summary>
    public static ImmutableArray<ImmutableArray<ImmutableArray<int>>> Pages(IReadOnlyList<CaptionToken> tokens, int maxWidth, int maxLines)
    {
        var lines = Lines(tokens, maxWidth);
        var pages = ImmutableArray.CreateBuilder<ImmutableArray<ImmutableArray<int>>>();
        for (var at = 0; at < lines.Count; at += maxLines)
        {
            pages.Add([.. lines.Skip(at).Take(maxLines)]);
        }
        return pages.ToImmutable();
    }

    /// <summary>The shown text of a line: its tokens joined by a space or by nothing, as each token says.</summary>
    public static string Join(IReadOnlyList<string> texts, IReadOnlyList<bool> spaceAfter)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < texts.Count; i++)
        {
            text.Append(texts[i]);
            if (i < texts.Count - 1 && spaceAfter[i])
            {
                text.Append(' ');
            }
        }
        return text.ToString();
    }

    private static int Width(IReadOnlyList<CaptionToken> tokens, List<int> line)
    {
        var width = 0;
        for (var k = 0; k < line.Count; k++)
        {
            width += DisplayWidth.Of(tokens[line[k]].Text) + (k < line.Count - 1 && tokens[line[k]].SpaceAfter ? 1 : 0);
        }
        return width;
    }

    private static List<ImmutableArray<int>> Lines(IReadOnlyList<CaptionToken> tokens, int maxWidth)
    {
        var lines = new List<ImmutableArray<int>>();
        var line = new List<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            line.Add(i);
            if (line.Count > 1 && Width(tokens, line) > maxWidth)
            {
                line.RemoveAt(line.Count - 1);
                lines.Add([.. line]);
                line = [i];
            }
        }
        if (line.Count > 0)
        {
            lines.Add([.. line]);
        }
        return BalanceLastPair(lines, tokens, maxWidth);
    }

    /// <summary>Greedy filling leaves a short last line ("…the / end"): move tokens down while the lines get more even.</summary>
    private static List<ImmutableArray<int>> BalanceLastPair(List<ImmutableArray<int>> lines, IReadOnlyList<CaptionToken> tokens, int maxWidth)
    {
        if (lines.Count < 2)
        {
            return lines;
        }
        var first = lines[^2].ToList();
        var second = lines[^1].ToList();
        while (first.Count > 1)
        {
            var newFirst = first[..^1];
            var newSecond = first[^1..].Concat(second).ToList();
            var (wNewFirst, wNewSecond) = (Width(tokens, newFirst), Width(tokens, newSecond));
            if (wNewSecond > maxWidth || Math.Abs(wNewFirst - wNewSecond) >= Math.Abs(Width(tokens, first) - Width(tokens, second)))
            {
                break;
            }
            first = newFirst;
            second = newSecond;
        }
        lines[^2] = [.. first];
        lines[^1] = [.. second];
        return lines;
    }
}
