using System.Globalization;
using System.Text.RegularExpressions;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>A colour as clients write it, "#RRGGBB" or "#RRGGBBAA" (AA = opacity, FF opaque), and as ASS wants it.</summary>
public sealed partial record CaptionColour(byte Red, byte Green, byte Blue, byte Opacity)
{
    public static CaptionColour White { get; } = new(255, 255, 255, 255);

    public static CaptionColour Black { get; } = new(0, 0, 0, 255);

    public static bool TryParse(string? text, out CaptionColour colour)
    {
        colour = White;
        if (text is null || !HexColour().IsMatch(text))
        {
            return false;
        }
        byte Part(int at) => byte.Parse(text.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        colour = new CaptionColour(Part(1), Part(3), Part(5), text.Length == 9 ? Part(7) : (byte)255);
        return true;
    }

    /// <summary>ASS style colour &amp;HAABBGGRR, where ASS alpha counts transparency (00 opaque).</summary>
    public string ToAss() => string.Create(CultureInfo.InvariantCulture, $"&H{255 - Opacity:X2}{Blue:X2}{Green:X2}{Red:X2}");

    /// <summary>The colour for an inline \c override, &amp;HBBGGRR&amp; (opacity is the style's).</summary>
    public string ToAssOverride() => string.Create(CultureInfo.InvariantCulture, $"&H{Blue:X2}{Green:X2}{Red:X2}&");

    [GeneratedRegex(@"^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?\z")]
    private static partial Regex HexColour();
}
