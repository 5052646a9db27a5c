using System.Globalization;
using System.Text;

namespace VideoAkka.Pipeline.Media.Text;

/// <summary>
/// How many columns text takes on screen, the way terminals and subtitle guidelines count it: East Asian wide and
/// fullwidth characters (Han, kana, Hangul, fullwidth forms) take two, combining marks and format characters none
/// (a Devanagari vowel sign or an Arabic haraka sits on its letter), everything else one.
/// </summary>
public static class DisplayWidth
{
    public static int Of(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += Of(rune);
        }
        return width;
    }

    public static int Of(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.Control)
        {
            return 0;
        }
        return IsWide(rune.Value) ? 2 : 1;
    }

    /// <summary>The East Asian Wide and Fullwidth blocks (UAX #11), by range: .NET exposes no East Asian width.</summary>
    public static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F      // Hangul Jamo initials
        or >= 0x2E80 and <= 0x303E        // CJK radicals, ideographic description, CJK symbols and punctuation
        or >= 0x3041 and <= 0x33FF        // kana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed
        or >= 0x3400 and <= 0x4DBF        // CJK extension A
        or >= 0x4E00 and <= 0x9FFF        // CJK unified ideographs
        or >= 0xA000 and <= 0xA4CF        // Yi
        or >= 0xAC00 and <= 0xD7A3        // Hangul syllables
        or >= 0xF900 and <= 0xFAFF        // CJK compatibility ideographs
        or >= 0xFE30 and <= 0xFE4F        // CJK compatibility forms
        or >= 0xFF00 and <= 0xFF60        // fullwidth forms
        or >= 0xFFE0 and <= 0xFFE6
        or >= 0x1F300 and <= 0x1F64F      // pictographs and emoji are drawn wide
        or >= 0x1F900 and <= 0x1F9FF
        or >= 0x20000 and <= 0x3FFFD;     // CJK extensions B and later

    /// <summary>The longest start of <paramref name="text"/>, cut between graphemes, that fits in
    /// <paramref name="width"/> columns (at least one grapheme, so a cut always makes progress).</summary>
    public static int FittingPrefixLength(string text, int width)
    {
        var used = 0;
        var length = 0;
        var graphemes = StringInfo.GetTextElementEnumerator(text);
        while (graphemes.MoveNext())
        {
            var grapheme = (string)graphemes.Current;
            var w = Of(grapheme);
            if (length > 0 && used + w > width)
            {
                break;
            }
            used += w;
            length += grapheme.Length;
        }
        return length;
    }
}
