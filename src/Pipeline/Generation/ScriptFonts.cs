using System.Text;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// The font family for a text's main script, as a fontconfig family name: Noto for every script we document (Debian's
/// fonts-noto-core and fonts-noto-cjk). libass asks fontconfig for it and falls back per glyph for characters the
/// family lacks, so a Chinese prompt with an English word still draws both, and a script named nowhere here (Bengali,
/// Tamil...) is drawn by the face fontconfig finds for it. The CJK fonts share glyphs but differ in
/// Han forms, so kana picks the Japanese face, Hangul the Korean, and Han alone the Simplified Chinese one.
/// </summary>
public static class ScriptFonts
{
    public static readonly ScriptFont Default = new("Noto Sans", 1.0);

    /// <summary>
    /// libass sizes a face by its whole height (OS/2 win ascent plus descent, as VSFilter did), not its em: Noto Sans is
    /// 1.362 em tall, Noto Sans Arabic 2.112 em (room for stacked marks), so at the same size Arabic drew at 64% of
    /// the other scripts. The factor gives every face the em of Noto Sans (ratios read from the fonts' OS/2 tables;
    /// the others are within 7% and left at 1).
    /// </summary>
    private static readonly ScriptFont Arabic = new("Noto Sans Arabic", 2.112 / 1.362);

    public static ScriptFont For(string text)
    {
        var counts = new Dictionary<ScriptFont, int>();
        var kana = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            kana |= c is >= 0x3040 and <= 0x30FF or >= 0x31F0 and <= 0x31FF;
            if (Font(c) is { } font)
            {
                counts[font] = counts.GetValueOrDefault(font) + 1;
            }
        }
        if (counts.Count == 0)
        {
            return Default;
        }
        var main = counts.MaxBy(kv => kv.Value).Key;
        return main.Family == "Noto Sans CJK SC" && kana ? new ScriptFont("Noto Sans CJK JP", 1.0) : main;
    }

    /// <summary>The face for one letter, or null for Latin, Greek, Cyrillic, digits and punctuation (Noto Sans draws
    /// them, and they do not decide the script). Scripts not named here are drawn by fontconfig's fallback.</summary>
    private static ScriptFont? Font(int c) => c switch
    {
        >= 0x0590 and <= 0x05FF => new("Noto Sans Hebrew", 1.0),
        >= 0x0600 and <= 0x06FF or >= 0x0750 and <= 0x077F or >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF => Arabic,
        >= 0x0900 and <= 0x097F => new("Noto Sans Devanagari", 1.0),
        >= 0x0E00 and <= 0x0E7F => new("Noto Sans Thai", 1.0),
        >= 0x1100 and <= 0x11FF or >= 0x3130 and <= 0x318F or >= 0xAC00 and <= 0xD7A3 => new("Noto Sans CJK KR", 1.0),
        >= 0x3040 and <= 0x30FF or >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFD => new("Noto Sans CJK SC", 1.0),
        _ => null,
    };
}

/// <summary>A fontconfig family and what to multiply a font size by so its letters are as big as Noto Sans's.</summary>
public sealed record ScriptFont(string Family, double SizeFactor);
