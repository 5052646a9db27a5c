using System.Text;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// The font family for a text's main script, as a fontconfig family name: Noto for every script we document (Debian's
/// fonts-noto-core and fonts-noto-cjk). libass asks fontconfig for it and falls back per glyph for characters the
/// family lacks, so a Chinese prompt with an English word still draws both. The CJK fonts share glyphs but differ in
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

    /// <summary>The family for one letter, or null for Latin, Greek, Cyrillic, digits and punctuation (the default
    /// family draws them, and they do not decide the script).</summary>
    private static string? Family(int c) => c switch
    {
        >= 0x0590 and <= 0x05FF => "Noto Sans Hebrew",
        >= 0x0600 and <= 0x06FF or >= 0x0750 and <= 0x077F or >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF => "Noto Sans Arabic",
        >= 0x0900 and <= 0x097F => "Noto Sans Devanagari",
        >= 0x0980 and <= 0x09FF => "Noto Sans Bengali",
        >= 0x0A00 and <= 0x0A7F => "Noto Sans Gurmukhi",
        >= 0x0A80 and <= 0x0AFF => "Noto Sans Gujarati",
        >= 0x0B80 and <= 0x0BFF => "Noto Sans Tamil",
        >= 0x0C00 and <= 0x0C7F => "Noto Sans Telugu",
        >= 0x0C80 and <= 0x0CFF => "Noto Sans Kannada",
        >= 0x0D00 and <= 0x0D7F => "Noto Sans Malayalam",
        >= 0x0E00 and <= 0x0E7F => "Noto Sans Thai",
        >= 0x0E80 and <= 0x0EFF => "Noto Sans Lao",
        >= 0x10A0 and <= 0x10FF => "Noto Sans Georgian",
        >= 0x0530 and <= 0x058F => "Noto Sans Armenian",
        >= 0x1200 and <= 0x137F => "Noto Sans Ethiopic",
        >= 0x1000 and <= 0x109F => "Noto Sans Myanmar",
        >= 0x1780 and <= 0x17FF => "Noto Sans Khmer",
        >= 0x1100 and <= 0x11FF or >= 0x3130 and <= 0x318F or >= 0xAC00 and <= 0xD7A3 => "Noto Sans CJK KR",
        >= 0x3040 and <= 0x30FF or >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFD => "Noto Sans CJK SC",
        _ => null,
    };
}
