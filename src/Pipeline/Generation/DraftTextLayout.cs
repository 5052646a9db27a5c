using System.Text;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// Fits a prompt onto a draft image: word-wrapped lines and the largest font size (from width/16 down) at which
/// they fit 90% of the height; what still does not fit is cut with an ellipsis. DejaVu Sans averages 0.525 em per
/// character of prose, so 0.55 em leaves a margin.
/// </summary>
public sealed record DraftTextLayout(string Text, int FontSize, int LineSpacing)
{
    private const int MinFontSize = 6;

    public static DraftTextLayout Fit(string prompt, int width, int height)
    {
        var clean = Clean(prompt);
        var fontSize = Math.Max(MinFontSize, (int)Math.Round(width / 16.0));
        while (true)
        {
            var columns = Math.Max(8, (int)(0.9 * width / (0.55 * fontSize)));
            var maxLines = Math.Max(1, (int)(0.9 * height / (1.25 * fontSize)));
            var lines = Wrap(clean, columns);
            if (lines.Count <= maxLines || fontSize == MinFontSize)
            {
                if (lines.Count > maxLines)
                {
                    lines = [.. lines.Take(maxLines)];
                    lines[^1] = (lines[^1].Length >= columns ? lines[^1][..(columns - 1)] : lines[^1]) + "…";
                }
                return new DraftTextLayout(string.Join('\n', lines), fontSize, (int)Math.Round(0.25 * fontSize));
            }
            fontSize--;
        }
    }

    private static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            clean.Append(char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c);
        }
        return clean.ToString().Trim();
    }

    private static List<string> Wrap(string text, int columns)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = word;
            while (rest.Length > columns)
            {
                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }
                lines.Add(rest[..columns]);
                rest = rest[columns..];
            }
            if (line.Length > 0 && line.Length + 1 + rest.Length > columns)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0)
            {
                line.Append(' ');
            }
            line.Append(rest);
        }
        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }
        return lines;
    }
}
