using System.Text;
using VideoAkka.Pipeline.Media.Text;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// Fits a prompt onto a draft image: lines broken by <see cref="CaptionLines"/> (between words, or between CJK
/// characters) and the largest font size (from width/16 down) at which they fit 90% of the height; what still does
/// not fit is cut with an ellipsis. Widths are display columns: Noto Sans averages about 0.53 em per column of prose
/// (a CJK character, two columns, is one em), so 0.55 em a column leaves a margin; a line takes 1.25 font sizes.
/// </summary>
public sealed record DraftTextLayout(string Text, int FontSize)
{
    private const int MinFontSize = 6;

    public static DraftTextLayout Fit(string prompt, int width, int height)
    {
        var clean = Clean(prompt);
        var fontSize = Math.Max(MinFontSize, (int)Math.Round(width / 16.0));
        while (true)
        {
            var columns = Columns(width, fontSize);
            var maxLines = Math.Max(1, (int)(0.9 * height / (1.25 * fontSize)));
            var lines = CaptionLines.Fill(clean, columns).ToList();
            if (lines.Count <= maxLines || fontSize == MinFontSize)
            {
                if (lines.Count > maxLines)
                {
                    lines = [.. lines.Take(maxLines)];
                    var last = lines[^1];
                    lines[^1] = (DisplayWidth.Of(last) >= columns ? last[..DisplayWidth.FittingPrefixLength(last, columns - 1)] : last) + "…";
                }
                return new DraftTextLayout(string.Join('\n', lines), fontSize);
            }
            fontSize--;
        }
    }

    /// <summary>The display columns a line may take at a font size.</summary>
    public static int Columns(int width, int fontSize) => Math.Max(8, (int)(0.9 * width / (0.55 * fontSize)));

    private static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            clean.Append(char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c);
        }
        return string.Join(' ', clean.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
