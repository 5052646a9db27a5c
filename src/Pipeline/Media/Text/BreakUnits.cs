using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace VideoAkka.Pipeline.Media.Text;

/// <summary>A piece of text a line may not be broken inside, with the spaces that follow it.</summary>
public sealed record BreakUnit(string Text)
{
    /// <summary>The unit without its trailing spaces: what shows at the end of a line.</summary>
    public string Visible { get; } = Text.TrimEnd();

    public int VisibleWidth { get; } = DisplayWidth.Of(Text.TrimEnd());

    public int Width { get; } = DisplayWidth.Of(Text);
}

/// <summary>
/// Cuts text into the pieces between which a line may break, a subset of UAX #14 that covers the scripts we speak:
/// after spaces; between any two CJK characters (Chinese and Japanese put no spaces between words), except where
/// kinsoku shori forbids it (no line starts with 。、」ー or a small kana, none ends with 「（); inside Thai, Lao,
/// Khmer and Myanmar runs at dictionary word boundaries (<see cref="IcuWordBreaks"/>). Never inside a grapheme, so a
/// Devanagari vowel sign or an Arabic mark stays on its letter. Text keeps its logical order: Arabic and Hebrew are
/// broken at spaces like Latin, and libass (FriBidi and HarfBuzz) lays each line out right to left.
/// </summary>
public static class BreakUnits
{
    /// <summary>Closing punctuation, small kana and marks that must not start a line (Japanese kinsoku, Chinese
    /// bihao, and the Latin, Arabic and Devanagari marks that follow a word).</summary>
    private const string NoStart =
        ",.!?:;)]}%’”»›、。，．・：；？！）］｝〕〉》」』】〙〗〟｠ヽヾゝゞ々〻ー…‥〜～゠" +
        "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ" +
        "،؛؟۔।॥";

    /// <summary>Opening punctuation that must not end a line.</summary>
    private const string NoEnd = "([{‘“«‹（［｛〔〈《「『【〘〖〝｟＄￥";

    public static ImmutableArray<BreakUnit> Of(string text)
    {
        var graphemes = Graphemes(text);
        var breaks = DictionaryBreaks(text);
        var units = ImmutableArray.CreateBuilder<BreakUnit>();
        var start = 0;
        for (var i = 1; i < graphemes.Count; i++)
        {
            if (BreakBefore(graphemes[i - 1], graphemes[i], breaks))
            {
                units.Add(new BreakUnit(text[start..graphemes[i].Offset]));
                start = graphemes[i].Offset;
            }
        }
        if (start < text.Length)
        {
            units.Add(new BreakUnit(text[start..]));
        }
        return units.ToImmutable();
    }

    private readonly record struct Grapheme(int Offset, Rune First, bool IsSpace);

    private static List<Grapheme> Graphemes(string text)
    {
        var list = new List<Grapheme>();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            var first = Rune.GetRuneAt(text, e.ElementIndex);
            list.Add(new Grapheme(e.ElementIndex, first, Rune.IsWhiteSpace(first)));
        }
        return list;
    }

    private static bool BreakBefore(Grapheme before, Grapheme current, HashSet<int> dictionaryBreaks)
    {
        if (current.IsSpace)
        {
            return false; // spaces stay at the end of the unit before them
        }
        if (before.IsSpace)
        {
            return true;
        }
        if (NoStart.Contains(current.First.ToString(), StringComparison.Ordinal) || NoEnd.Contains(before.First.ToString(), StringComparison.Ordinal))
        {
            return false;
        }
        if (IsCjk(before.First.Value) || IsCjk(current.First.Value))
        {
            return true;
        }
        return dictionaryBreaks.Contains(current.Offset);
    }

    /// <summary>Han, kana, Bopomofo and fullwidth forms: a line may break between any two of them. Hangul is not here:
    /// Korean puts spaces between words.</summary>
    public static bool IsCjk(int c) =>
        c is >= 0x2E80 and <= 0x2FDF or >= 0x3000 and <= 0x30FF or >= 0x3100 and <= 0x312F or >= 0x31F0 and <= 0x31FF
        or >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0xFF00 and <= 0xFF60
        or >= 0x20000 and <= 0x3FFFD;

    /// <summary>Thai, Lao, Myanmar and Khmer: words are not separated by spaces and only a dictionary finds them.</summary>
    public static bool NeedsDictionary(int c) =>
        c is >= 0x0E00 and <= 0x0EFF or >= 0x1000 and <= 0x109F or >= 0x1780 and <= 0x17FF;

    /// <summary>Offsets inside runs of dictionary scripts where ICU finds a word boundary (the four scripts lie in
    /// the BMP, so one char is one code point there).</summary>
    private static HashSet<int> DictionaryBreaks(string text)
    {
        var breaks = new HashSet<int>();
        if (!text.EnumerateRunes().Any(r => NeedsDictionary(r.Value)) || IcuWordBreaks.Shared is not { } icu)
        {
            return breaks;
        }
        var i = 0;
        while (i < text.Length)
        {
            if (!NeedsDictionary(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && NeedsDictionary(text[i]))
            {
                i++;
            }
            foreach (var at in icu.Boundaries(text[start..i]))
            {
                breaks.Add(start + at);
            }
        }
        return breaks;
    }
}
