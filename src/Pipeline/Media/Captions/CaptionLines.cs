using System.Collections.Immutable;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>
/// Breaks words into lines and pages for Latin-like scripts (words separated by spaces). Every caller goes through
/// <see cref="Pages"/>, so a breaker that knows CJK and Thai can replace this one in one place.
/// </summary>
public static class CaptionLines
{
    /// <summary>Groups consecutive words into pages of at most <paramref name="maxLines"/> lines of at most
    /// <paramref name="maxChars"/> characters (a single longer word gets a line of its own). Each page is a list of
    /// lines, each line a list of word indexes.</summary>
    public static ImmutableArray<ImmutableArray<ImmutableArray<int>>> Pages(IReadOnlyList<string> words, int maxChars, int maxLines)
    {
        var lines = Lines(words, maxChars);
        var pages = ImmutableArray.CreateBuilder<ImmutableArray<ImmutableArray<int>>>();
        // Balance the pages: four lines make two pages of two, three make two and one.
        for (var at = 0; at < lines.Count; at += maxLines)
        {
            pages.Add([.. lines.Skip(at).Take(maxLines)]);
        }
        return pages.ToImmutable();
    }

    private static List<ImmutableArray<int>> Lines(IReadOnlyList<string> words, int maxChars)
    {
        var lines = new List<ImmutableArray<int>>();
        var line = new List<int>();
        var length = 0;
        for (var i = 0; i < words.Count; i++)
        {
            var added = line.Count == 0 ? words[i].Length : length + 1 + words[i].Length;
            if (line.Count > 0 && added > maxChars)
            {
                lines.Add([.. line]);
                line.Clear();
                added = words[i].Length;
            }
            line.Add(i);
            length = added;
        }
        if (line.Count > 0)
        {
            lines.Add([.. line]);
        }
        return BalanceLastPair(lines, words, maxChars);
    }

    /// <summary>Greedy filling leaves a short last line ("…the / end"): move words down while the lines get more even.</summary>
    private static List<ImmutableArray<int>> BalanceLastPair(List<ImmutableArray<int>> lines, IReadOnlyList<string> words, int maxChars)
    {
        if (lines.Count < 2)
        {
            return lines;
        }
        var first = lines[^2].ToList();
        var second = lines[^1].ToList();
        int Length(List<int> l) => l.Sum(i => words[i].Length) + Math.Max(0, l.Count - 1);
        while (first.Count > 1)
        {
            var moved = first[^1];
            var newSecond = Length(second) + 1 + words[moved].Length;
            var newFirst = Length(first) - 1 - words[moved].Length;
            if (newSecond > maxChars || Math.Abs(newFirst - newSecond) >= Math.Abs(Length(first) - Length(second)))
            {
                break;
            }
            first.RemoveAt(first.Count - 1);
            second.Insert(0, moved);
        }
        lines[^2] = [.. first];
        lines[^1] = [.. second];
        return lines;
    }
}
