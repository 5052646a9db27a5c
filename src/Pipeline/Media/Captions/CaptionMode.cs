namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>How captions follow the speech (options.subtitles.mode).</summary>
public enum CaptionMode
{
    /// <summary>One caption per spoken piece (split into pages when it does not fit the lines).</summary>
    Sentence,

    /// <summary>The page is shown while it is spoken, with the word being spoken highlighted.</summary>
    Karaoke,

    /// <summary>One word at a time, each shown while it is spoken.</summary>
    Word,
}

/// <summary>Where captions sit in the frame (options.subtitles.style.position).</summary>
public enum CaptionPosition
{
    Bottom,
    Center,
    Top,
}
