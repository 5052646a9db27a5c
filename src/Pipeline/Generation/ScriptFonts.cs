using System.Text;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// The font family for a text's main script, as a fontconfig family name: Noto for every script we document (Debian's
/// fonts-noto-core and fonts-noto-cjk). libass asks fontconfig for it and falls back per glyph for characters the
/// family lacks, so a Chinese prompt with an English word still draws both, and a script named nowhere here (Arabic,
/// Thai, Bengali...) is drawn by the face fontconfig finds for it. The CJK fonts share glyphs but differ in
/// Han forms, so kana picks the Japanese face, Hangul the Korean, and Han alone the Simplified Chinese one.
/// </summary>
public static class ScriptFonts
{
    public const string Default = "Noto Sans";

    public static string FamilyFor(string text)
    {
        var counts = new Dictionary<string, int>();
        var kana = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            kana |= c is >= 0x3040 and <= 0x30FF or >= 0x31F0 and <= 0x31FF;
            if (Family(c) is { } family)
            {
                counts[family] = counts.GetValueOrDefault(family) + 1;
            }
        }
        if (counts.Count == 0)
        {
            return Default;
        }
        var main = counts.MaxBy(kv => kv.Value).Key;
        return main == "Noto Sans CJK SC" && kana ? "Noto Sans CJK JP" : main;
    }

    /// <summary>The family for one letter, or null where the default family names it best: Latin, Greek, Cyrillic,
    /// digits and punctuation, and the scripts whose Noto family draws too small under libass. libass sizes a face by
    /// its whole height (ascent plus descent, as VSFilter did), and Noto Sans Arabic and Noto Sans Thai are tall for
    /// their stacked marks: named, Noto Sans Arabic drew at about half the size of the other scripts (measured on the
    /// gallery's cards). Named "Noto Sans", libass falls back per glyph to the face fontconfig picks: DejaVu Sans for
    /// Arabic, at a normal size; Noto Sans Thai for Thai either way.</summary>
    private static string? Family(int c) => c switch
    {
        >= 0x0590 and <= 0x05FF => "Noto Sans Hebrew",
        >= 0x0900 and <= 0x097F => "Noto Sans Devanagari",
        >= 0x1100 and <= 0x11FF or >= 0x3130 and <= 0x318F or >= 0xAC00 and <= 0xD7A3 => "Noto Sans CJK KR",
        >= 0x3040 and <= 0x30FF or >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFD => "Noto Sans CJK SC",
        _ => null,
    };
}
