using System.Collections.Immutable;
using System.Text;

namespace VideoAkka.Pipeline.Media.Text;

/// <summary>
/// Breaks a caption into lines for any script: at the break opportunities of <see cref="BreakUnits"/>, each line
/// at most <c>maxWidth</c> display columns (<see cref="DisplayWidth"/>: a CJK character counts two), the lines as
/// even as the break points allow, at most <c>maxLines</c> of them. This is the one line breaker of captions (SRT,
/// ASS) and draft cards.
/// </summary>
public static class CaptionLines
{
    /// <summary>
    /// The fewest lines of at most <paramref name="maxWidth"/> columns, balanced (the narrowest width that still needs
    /// no more lines). Text is never dropped: when it needs more than <paramref name="maxLines"/> lines, the last line
    /// carries the rest (cue pieces from <see cref="SentenceSplitter"/> are short enough for two lines).
    /// </summary>
    public static ImmutableArray<string> Break(string text, int maxWidth, int maxLines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        var units = Units(text, maxWidth);
        var greedy = Fill(units, maxWidth);
        if (greedy.Count <= 1)
        {
            return [.. greedy.Select(Join)];
        }
        if (greedy.Count > maxLines)
        {
            var kept = greedy.Take(maxLines - 1).Select(Join).ToList();
            kept.Add(Join([.. greedy.Skip(maxLines - 1).SelectMany(l => l)]));
            return [.. kept];
        }
        var total = units.Sum(u => u.Width);
        for (var width = Math.Max(1, total / greedy.Count); width < maxWidth; width++)
        {
            var lines = Fill(units, width);
            if (lines.Count <= greedy.Count)
            {
                return [.. lines.Select(Join)];
            }
        }
        return [.. greedy.Select(Join)];
    }

    /// <summary>Every line, filled greedily to <paramref name="maxWidth"/> columns (for draft cards, where the
    /// number of lines follows the font size).</summary>
    public static ImmutableArray<string> Fill(string text, int maxWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidth, 1);
        return [.. Fill(Units(text, maxWidth), maxWidth).Select(Join)];
    }

    /// <summary>The break units, with any unit wider than a line cut between graphemes (a word longer than a line is
    /// better cut than drawn past the frame's edge).</summary>
    private static List<BreakUnit> Units(string text, int maxWidth)
    {
        var units = new List<BreakUnit>();
        foreach (var unit in BreakUnits.Of(text.Trim()))
        {
            var rest = unit.Text;
            while (DisplayWidth.Of(rest.TrimEnd()) > maxWidth)
            {
                var cut = DisplayWidth.FittingPrefixLength(rest, maxWidth);
                units.Add(new BreakUnit(rest[..cut]));
                rest = rest[cut..];
            }
            if (rest.Length > 0)
            {
                units.Add(new BreakUnit(rest));
            }
        }
        return units;
    }

    private static List<List<BreakUnit>> Fill(List<BreakUnit> units, int width)
    {
        var lines = new List<List<BreakUnit>>();
        var line = new List<BreakUnit>();
        var used = 0; // columns taken by the line so far, its trailing spaces included
        foreach (var unit in units)
        {
            if (line.Count > 0 && used + unit.VisibleWidth > width)
            {
                lines.Add(line);
                line = [];
                used = 0;
            }
            line.Add(unit);
            used += unit.Width;
        }
        if (line.Count > 0)
        {
            lines.Add(line);
        }
        return lines;
    }

    private static string Join(List<BreakUnit> line)
    {
        var text = new StringBuilder();
        foreach (var unit in line)
        {
            text.Append(unit.Text);
        }
        return text.ToString().TrimEnd();
    }
}
