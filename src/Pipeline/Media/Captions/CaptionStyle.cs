using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>
/// A caption style with every value decided, in the coordinates of the 1080p frame of the video's shape (1080x1920 for
/// 9:16): the ASS script declares that frame as its PlayRes and libass scales it to the real output size, so a style
/// looks the same at 360x640 and at 1080x1920. <see cref="MaxChars"/> (options' max_chars) counts display columns:
/// a Chinese or Japanese character takes two, as in the SRT and on draft cards.
/// </summary>
public sealed record CaptionStyle(
    int FrameWidth,
    int FrameHeight,
    string Font,
    int Size,
    CaptionColour PrimaryColour,
    CaptionColour OutlineColour,
    CaptionColour HighlightColour,
    double Outline,
    bool Box,
    CaptionColour BoxColour,
    CaptionPosition Position,
    int Margin,
    bool Uppercase,
    int MaxChars,
    int MaxLines)
{
    public const string DefaultFont = "DejaVu Sans";
    public const int MaxLinesAllowed = 2;

    /// <summary>Short-video apps draw their buttons and captions over the bottom 20 % of a 9:16 frame.</summary>
    public const double PortraitUnsafeBottom = 0.20;

    /// <summary>The defaults for the video's shape and the captions' script, then what the request asked.</summary>
    /// <param name="text">The captions' text: when the request names no font, the face is the Noto family of its main
    /// script (<see cref="ScriptFonts.For"/>), sized by that face's factor so Arabic is as big as the rest, rather
    /// than whatever fontconfig falls back to per glyph. Latin, Greek and Cyrillic keep <see cref="DefaultFont"/>.
    /// A named font is used as asked, at the size asked.</param>
    public static CaptionStyle For(VideoFormat format, CaptionStyleRequest request, string text = "")
    {
        var portrait = format.Height > format.Width;
        var square = format.Height == format.Width;
        var (width, height) = portrait ? (1080, 1920) : square ? (1080, 1080) : (1920, 1080);
        // Portrait: a phone-readable size with ~20 characters a line; the bottom margin keeps two lines and their
        // outline above the bottom 20 % (384 of 1920 lines).
        var (size, maxChars, bottomMargin) = portrait ? (64, 22, 440) : square ? (56, 30, 80) : (56, 42, 60);
        var position = request.Position ?? CaptionPosition.Bottom;
        var script = ScriptFonts.For(text);
        var (font, sizeFactor) = request.Font is not null ? (request.Font, 1.0)
            : script == ScriptFonts.Default ? (DefaultFont, 1.0)
            : (script.Family, script.SizeFactor);
        return new CaptionStyle(
            width,
            height,
            font,
            (int)Math.Round((request.Size ?? size) * sizeFactor, MidpointRounding.AwayFromZero),
            request.PrimaryColour ?? CaptionColour.White,
            request.OutlineColour ?? CaptionColour.Black,
            request.HighlightColour ?? new CaptionColour(255, 215, 0, 255),
            request.Outline ?? 4,
            request.Box ?? false,
            request.BoxColour ?? new CaptionColour(0, 0, 0, 160),
            position,
            request.Margin ?? (position == CaptionPosition.Bottom ? bottomMargin : 60),
            request.Uppercase ?? false,
            request.MaxChars ?? maxChars,
            request.MaxLines ?? MaxLinesAllowed);
    }
}
