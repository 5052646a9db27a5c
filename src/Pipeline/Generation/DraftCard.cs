using System.Globalization;
using VideoAkka.Pipeline.Media;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// A draft card's text as an ASS script for libass, which draws every script: fontconfig picks the family named
/// for the text's script, sized to the em of the others (<see cref="ScriptFonts"/>) and falls back per glyph, HarfBuzz shapes Arabic and
/// Devanagari, FriBidi orders right-to-left lines (Encoding -1: libass
/// finds each line's base direction, so an Arabic sentence's full stop lands at its left end, not its right). (ffmpeg 5.1's drawtext does none of this: it drew Chinese and
/// Hindi as empty boxes and Arabic unjoined.) Lines are broken by the layout; libass's own wrapping is off.
/// </summary>
public static class DraftCard
{
    public static string Ass(DraftTextLayout layout, int width, int height)
    {
        var font = ScriptFonts.For(layout.Text);
        var size = (int)Math.Round(layout.FontSize * font.SizeFactor);
        return string.Create(CultureInfo.InvariantCulture, $"""
        [Script Info]
        ScriptType: v4.00+
        PlayResX: {width}
        PlayResY: {height}
        WrapStyle: 2
        ScaledBorderAndShadow: yes

        [V4+ Styles]
        Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
        Style: Card,{font.Family},{size},&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,0,0,5,0,0,0,-1

        [Events]
        Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
        Dialogue: 0,0:00:00.00,9:59:59.99,Card,,0,0,0,,{Escape(layout.Text)}

        """);
    }

    /// <summary>The prompt is the client's text: override blocks and \N-style codes in it are made literal (as in
    /// SRT), and the layout's line breaks become ASS hard breaks.</summary>
    private static string Escape(string text) => SrtWriter.Neutralize(text).Replace("\n", "\\N", StringComparison.Ordinal);
}
