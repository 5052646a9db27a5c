using System.Globalization;
using System.Text;
using VideoAkka.Pipeline.Media.Text;

namespace VideoAkka.Pipeline.Media;

/// <summary>Writes cues as SubRip (.srt), each cue's text wrapped by <see cref="CaptionLines"/>
/// to at most two balanced lines.</summary>
public static class SrtWriter
{
    public const int LineCharacters = 42;

    public static string Write(IEnumerable<SubtitleCue> cues)
    {
        var srt = new StringBuilder();
        var number = 1;
        foreach (var cue in cues)
        {
            srt.Append(number++).Append('\n')
               .Append(Timestamp(cue.Start)).Append(" --> ").Append(Timestamp(cue.End)).Append('\n')
               .Append(Wrap(Neutralize(cue.Text))).Append("\n\n");
        }
        return srt.ToString();
    }

    public static string Timestamp(double seconds)
    {
        var ms = (long)Math.Round(Math.Max(0, seconds) * 1000, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00},{ms % 1000:000}");
    }

    /// <summary>
    /// libass reads override codes in SRT text: {\an8} moves a cue, \N breaks a line, &lt;i&gt; styles it. The script is
    /// the client's, so these are made literal: braces escaped, and a zero-width space after each backslash and '&lt;'.
    /// </summary>
    public static string Neutralize(string text) => text
        .Replace("\\", "\\\u200B", StringComparison.Ordinal)
        .Replace("{", "\\{", StringComparison.Ordinal)
        .Replace("}", "\\}", StringComparison.Ordinal)
        .Replace("<", "<\u200B", StringComparison.Ordinal);

    /// <summary>At most two lines of <see cref="LineCharacters"/> columns, as even as the script's break points allow
    /// (between words, or between CJK characters where kinsoku allows).</summary>
    public static string Wrap(string text) => string.Join('\n', CaptionLines.Break(text, LineCharacters, 2));
}
