using System.Globalization;
using System.Text;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>
/// Writes captions as an ASS script for libass: one style from <see cref="CaptionStyle"/>, and events per page
/// (sentence), per word with the page around it (karaoke), or per word alone (word). A cue longer than the style's
/// lines is shown in pages, each while its own words are spoken.
/// </summary>
public static class AssWriter
{
    public const string StyleName = "Caption";

    public static string Write(IReadOnlyList<TimedCue> cues, CaptionStyle style, CaptionMode mode)
    {
        var ass = new StringBuilder();
        Header(ass, style);
        foreach (var cue in cues)
        {
            var words = cue.Words.Select(w => style.Uppercase ? w.Text.ToUpperInvariant() : w.Text).ToArray();
            if (words.Length == 0)
            {
                continue;
            }
            var spaceAfter = cue.Words.Select(w => w.SpaceAfter).ToArray();
            var pages = CaptionPages.Pages([.. words.Select((w, i) => new CaptionToken(w, spaceAfter[i]))], style.MaxChars, style.MaxLines);
            for (var p = 0; p < pages.Length; p++)
            {
                var page = pages[p];
                var first = page[0][0];
                var last = page[^1][^1];
                // The first page starts with the cue (the sentence's onset), and each page lasts until the next one.
                var pageStart = p == 0 ? cue.Cue.Start : cue.Words[first].Start;
                var pageEnd = p == pages.Length - 1 ? cue.Cue.End : cue.Words[last + 1].Start;
                switch (mode)
                {
                    case CaptionMode.Sentence:
                        Dialogue(ass, pageStart, pageEnd, PageText(words, spaceAfter, page, highlighted: -1, style));
                        break;
                    case CaptionMode.Karaoke:
                        for (var w = first; w <= last; w++)
                        {
                            Dialogue(ass, w == first ? pageStart : cue.Words[w].Start, w == last ? pageEnd : cue.Words[w + 1].Start,
                                PageText(words, spaceAfter, page, highlighted: w, style));
                        }
                        break;
                    case CaptionMode.Word:
                        for (var w = first; w <= last; w++)
                        {
                            Dialogue(ass, w == first ? pageStart : cue.Words[w].Start, w == last ? pageEnd : cue.Words[w + 1].Start, Escape(words[w]));
                        }
                        break;
                }
            }
        }
        return ass.ToString();
    }

    /// <summary>H:MM:SS.cc, ASS's centisecond clock.</summary>
    public static string Timestamp(double seconds)
    {
        var cs = (long)Math.Round(Math.Max(0, seconds) * 100, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"{cs / 360_000}:{cs / 6000 % 60:00}:{cs / 100 % 60:00}.{cs % 100:00}");
    }

    /// <summary>The script is the client's: a backslash or brace would be an override code to libass, so they are
    /// made literal (as <see cref="SrtWriter.Neutralize"/> does for the SRT).</summary>
    public static string Escape(string text) => text
        .Replace("\\", "\\\u200B", StringComparison.Ordinal)
        .Replace("{", "\\{", StringComparison.Ordinal)
        .Replace("}", "\\}", StringComparison.Ordinal);

    /// <summary>A page's lines joined by \N, each line's tokens joined by a space or by nothing as they say.</summary>
    private static string PageText(string[] words, bool[] spaceAfter, IReadOnlyList<System.Collections.Immutable.ImmutableArray<int>> page,
        int highlighted, CaptionStyle style) =>
        string.Join("\\N", page.Select(line => CaptionPages.Join(
            [.. line.Select(i => i == highlighted
                ? $"{{\\c{style.HighlightColour.ToAssOverride()}}}{Escape(words[i])}{{\\c{style.PrimaryColour.ToAssOverride()}}}"
                : Escape(words[i]))],
            [.. line.Select(i => spaceAfter[i])])));

    private static void Dialogue(StringBuilder ass, double start, double end, string text)
    {
        if (end - start < 0.01)
        {
            return;
        }
        ass.Append("Dialogue: 0,").Append(Timestamp(start)).Append(',').Append(Timestamp(end)).Append(',').Append(StyleName)
           .Append(",,0,0,0,,").Append(text).Append('\n');
    }

    private static void Header(StringBuilder ass, CaptionStyle style)
    {
        var alignment = style.Position switch
        {
            CaptionPosition.Top => 8,
            CaptionPosition.Center => 5,
            _ => 2,
        };
        // A box is ASS border style 3: libass fills each line's box with the outline colour, padded by the outline width.
        var (border, outlineColour) = style.Box ? (3, style.BoxColour) : (1, style.OutlineColour);
        var sideMargin = style.FrameWidth / 18;
        ass.Append("[Script Info]\n")
           .Append("ScriptType: v4.00+\n")
           .Append(CultureInfo.InvariantCulture, $"PlayResX: {style.FrameWidth}\n")
           .Append(CultureInfo.InvariantCulture, $"PlayResY: {style.FrameHeight}\n")
           // Lines are broken here (max_chars); libass wraps only a line that still does not fit the frame.
           .Append("WrapStyle: 0\n")
           .Append("ScaledBorderAndShadow: yes\n")
           .Append("YCbCr Matrix: None\n\n")
           .Append("[V4+ Styles]\n")
           // Encoding -1: libass finds each line's base direction (FriBidi), so an Arabic or Hebrew line reads right to
           // left with its punctuation at the correct end; with 1 (the old value) every line was laid out left to right.
           .Append("Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n")
           .Append(CultureInfo.InvariantCulture,
               $"Style: {StyleName},{style.Font.Replace(',', ' ')},{style.Size},{style.PrimaryColour.ToAss()},{style.PrimaryColour.ToAss()},{outlineColour.ToAss()},{style.BoxColour.ToAss()},-1,0,0,0,100,100,0,0,{border},{style.Outline.ToString("0.##", CultureInfo.InvariantCulture)},0,{alignment},{sideMargin},{sideMargin},{style.Margin},-1\n\n")
           .Append("[Events]\n")
           .Append("Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n");
    }
}
