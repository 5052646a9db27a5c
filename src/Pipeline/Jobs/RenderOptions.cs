namespace VideoAkka.Pipeline.Jobs;

/// <summary>How the final render puts the scenes together (options.fit, options.clip_fill, options.transition,
/// options.music). Grouped in one record so the rest of the options grow without touching it.</summary>
public sealed record RenderOptions(
    FitMode Fit = FitMode.Cover,
    ClipFill ClipFill = ClipFill.Hold,
    SceneTransition? Transition = null,
    MusicChoice? Music = null)
{
    public static RenderOptions Default { get; } = new();
}

/// <summary>How a clip of another shape meets the frame.</summary>
public enum FitMode
{
    /// <summary>Scaled to cover the whole frame, the overflow cropped (centred).</summary>
    Cover,

    /// <summary>Scaled to fit inside the frame, the rest padded black.</summary>
    Contain,
}

/// <summary>What a clip shorter than its scene's share does for the rest of it.</summary>
public enum ClipFill
{
    /// <summary>Holds its last frame.</summary>
    Hold,

    /// <summary>Plays again from the start.</summary>
    Loop,
}

/// <summary>A crossfade between consecutive scenes; null on <see cref="RenderOptions"/> means hard cuts.</summary>
public sealed record SceneTransition(double Seconds);

/// <summary>Where the music under the narration comes from.</summary>
public enum MusicSourceKind
{
    /// <summary>A plain file name in the run's folder.</summary>
    File,

    /// <summary>An http(s) URL, fetched under the image_url rules.</summary>
    Url,

    /// <summary>A name in the music folder of the configuration (videoakka.inputs.music.folder).</summary>
    Library,
}

/// <param name="Value">The file name, the absolute URL, or the library name.</param>
public sealed record MusicChoice(MusicSourceKind Kind, string Value);
