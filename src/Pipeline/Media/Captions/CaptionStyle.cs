using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>
/// A caption style with every value decided, in the coordinates of the 1080p frame of the video's shape (1080x1920 for
/// 9:16): the ASS script declares that frame as its PlayRes and libass scales it to the real output size, so a style
/// looks the same at 360x640 and at 1080x1920.
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

    /// <summary>The defaults for the video's shape, then what the request asked.</summary>
    public static CaptionStyle For(VideoFormat format, CaptionStyleRequest request)
    {
        var portrait = format.Height > format.Width;
        var square = format.Height == format.Width;
        var (width, height) = portrait ? (1080, 1920) : square ? (1080, 1080) : (1920, 1080);
        // Portrait: a phone-readable size with ~20 characters a line; the bottom margin keeps two lines and their
        // outline above the bottom 20 % (384 of 1920 lines).
        var (size, maxChars, bottomMargin) = portrait ? (64, 22, 440) : square ? (56, 30, 80) : (56, 42, 60);
        var position = request.Position ?? CaptionPosition.Bottom;
        return new CaptionStyle(
            width,
            height,
            request.Font ?? DefaultFont,
            request.Size ?? size,
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
