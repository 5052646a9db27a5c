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

    /// <summary>Greedy filling leaves a short last line ("…the / end"): the break between the last two lines moves
    /// back to where they are most even (the fewest tokens moved on a tie), both within the width. Where one of those
    /// breaks is at a space, only spaces are considered: kana written with spaces between words
    /// ("とうだいもりは うみを みています。") is broken between its words, not inside one, though both are allowed.</summary>
    private static List<ImmutableArray<int>> BalanceLastPair(List<ImmutableArray<int>> lines, IReadOnlyList<CaptionToken> tokens, int maxWidth)
    {
        if (lines.Count < 2)
        {
            return lines;
        }
        var pair = lines[^2].Concat(lines[^1]).ToList();
        var greedy = lines[^2].Length;
        var candidates = new List<(int Split, int Imbalance, bool AtSpace)>();
        for (var split = greedy; split >= 1; split--)
        {
            var (first, second) = (pair[..split], pair[split..]);
            if (Width(tokens, second) > maxWidth)
            {
                break; // moving more tokens down only makes the second line wider
            }
            candidates.Add((split, Math.Abs(Width(tokens, first) - Width(tokens, second)), tokens[pair[split - 1]].SpaceAfter));
        }
        if (candidates.Count == 0)
        {
            return lines; // the last line is one token wider than a line: nothing can move down to it
        }
        if (candidates.Any(c => c.AtSpace))
        {
            candidates.RemoveAll(c => !c.AtSpace);
        }
        // Ordered from the greedy break back: MinBy keeps the first of equals, the fewest tokens moved.
        var best = candidates.MinBy(c => c.Imbalance).Split;
        lines[^2] = [.. pair[..best]];
        lines[^1] = [.. pair[best..]];
        return lines;
    }
}
