namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>What a request asked of options.subtitles.style; null fields take the defaults of the video's shape
/// (<see cref="CaptionStyle.For"/>). Sizes and margins are pixels of the 1080p frame of that shape.</summary>
public sealed record CaptionStyleRequest(
    string? Font = null,
    int? Size = null,
    CaptionColour? PrimaryColour = null,
    CaptionColour? OutlineColour = null,
    CaptionColour? HighlightColour = null,
    double? Outline = null,
    bool? Box = null,
    CaptionColour? BoxColour = null,
    CaptionPosition? Position = null,
    int? Margin = null,
    bool? Uppercase = null,
    int? MaxChars = null,
    int? MaxLines = null)
{
    public static CaptionStyleRequest None { get; } = new();
}

/// <summary>options.subtitles: how captions are timed and how they look.</summary>
public sealed record CaptionOptions(CaptionMode Mode, CaptionStyleRequest Style)
{
    public static CaptionOptions Default { get; } = new(CaptionMode.Sentence, CaptionStyleRequest.None);
}
