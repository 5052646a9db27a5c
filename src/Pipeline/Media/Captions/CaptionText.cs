using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

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

    /// <summary>The words of a piece, as shown and timed: split at spaces, a token without letters or digits (a dash,
    /// a lone symbol) kept with the word before it so that every word is something that is spoken.</summary>
    public static ImmutableArray<string> Words(string piece)
    {
        var words = ImmutableArray.CreateBuilder<string>();
        foreach (var token in piece.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!token.Any(char.IsLetterOrDigit) && words.Count > 0)
            {
                words[^1] = words[^1] + " " + token;
            }
            else if (token.Any(char.IsLetterOrDigit))
            {
                words.Add(token);
            }
        }
        return words.ToImmutable();
    }

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
