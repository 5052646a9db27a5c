using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VideoAkka.Pipeline.Media.Text;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>
/// The one place that decides which characters of a script are spoken and shown. Markdown markers and emoji are
/// taken out before the script is spoken or captioned (espeak-ng reads "**" as "asterisk asterisk" and 🚀 as "rocket",
/// which would put words in the audio that no caption shows), so the speech, the cues and the words stay in step.
/// </summary>
public static partial class CaptionText
{
    /// <summary>The script without markdown markers and emoji; line breaks are kept (they end sentences).</summary>
    public static string Speakable(string script)
    {
        var text = MarkdownLink().Replace(script, "$1");
        text = LineMarker().Replace(text, "");
        text = Emphasis().Replace(text, "");
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            var codePoint = char.ConvertToUtf32(text, i) is var cp ? cp : 0;
            if (!IsPictograph(codePoint, CharUnicodeInfo.GetUnicodeCategory(text, i)))
            {
                kept.Append(text, i, char.IsSurrogatePair(text, i) ? 2 : 1);
            }
        }
        return kept.ToString();
    }

    /// <summary>The words of a piece, as shown and timed (the texts of <see cref="Tokens"/>).</summary>
    public static ImmutableArray<string> Words(string piece) => [.. Tokens(piece).Select(t => t.Text)];

    /// <summary>The tokens of a piece, as shown and timed: split at spaces, a token without letters or digits (a dash,
    /// a lone symbol) kept with the word before it so that every token is something that is spoken. A word of a script
    /// written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) is split further at the line break
    /// opportunities of <see cref="BreakUnits"/> (between CJK characters where kinsoku allows, at Thai dictionary
    /// words), whose pieces are joined by nothing: a line can then break, and karaoke highlight, inside it.</summary>
    public static ImmutableArray<CaptionToken> Tokens(string piece)
    {
        var tokens = ImmutableArray.CreateBuilder<CaptionToken>();
        foreach (var word in piece.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!word.Any(char.IsLetterOrDigit))
            {
                if (tokens.Count > 0)
                {
                    tokens[^1] = tokens[^1] with { Text = tokens[^1].Text + (tokens[^1].SpaceAfter ? " " : "") + word };
                }
                continue;
            }
            var parts = Unspaced(word) ? BreakUnits.Of(word).Select(u => u.Text).ToList() : [word];
            for (var i = 0; i < parts.Count; i++)
            {
                tokens.Add(new CaptionToken(parts[i], SpaceAfter: i == parts.Count - 1));
            }
        }
        return tokens.ToImmutable();
    }

    private static bool Unspaced(string word) =>
        word.EnumerateRunes().Any(r => BreakUnits.IsCjk(r.Value) || BreakUnits.NeedsDictionary(r.Value));

    /// <summary>Emoji and their joiners, variation selectors, skin tones and keycaps; symbols below U+2300
    /// (©, °, ™, arrows) stay because espeak-ng speaks them and viewers read them.</summary>
    private static bool IsPictograph(int codePoint, UnicodeCategory category) =>
        codePoint is 0x200D or 0xFE0E or 0xFE0F or 0x20E3 or (>= 0xE0020 and <= 0xE007F) or (>= 0x1F3FB and <= 0x1F3FF)
        || (codePoint >= 0x2300 && category is UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol);

    [GeneratedRegex(@"\[([^\]\n]*)\]\([^)\s]*\)")]
    private static partial Regex MarkdownLink();

    /// <summary>Heading, quote and list markers at the start of a line.</summary>
    [GeneratedRegex(@"(?m)^[ \t]*(#{1,6}|>|[-*+])[ \t]+")]
    private static partial Regex LineMarker();

    /// <summary>Bold, italic, strike and code markers: runs of * ~ ` anywhere, and _ runs at the edge of a word.</summary>
    [GeneratedRegex(@"[*~`]+|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])")]
    private static partial Regex Emphasis();
}
