using VideoAkka.Pipeline.Media.Captions;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>The optional "options" object of a job request, with the defaults a request gets when it says nothing.</summary>
/// <param name="Seed">Fixes the seeds: scene N (1-based) gets Seed + N - 1 unless it fixes its own.</param>
/// <param name="Motion">How every scene's clip is made, unless a scene says otherwise.</param>
/// <param name="Subtitles">options.subtitles: caption mode and style; null is the default.</param>
public sealed record JobOptions(
    AspectRatio Aspect,
    int? Fps = null,
    VoiceChoice? Voice = null,
    bool Voiceover = true,
    long? Seed = null,
    SceneMotion Motion = SceneMotion.Model,
    CaptionOptions? Subtitles = null)
{
    public CaptionOptions Captions => Subtitles ?? CaptionOptions.Default;

    /// <summary>How the final render fits, fills, joins and scores the scenes (lane: render).</summary>
    public RenderOptions Render { get; init; } = RenderOptions.Default;

    public static JobOptions Default { get; } = new(AspectRatio.Portrait);
}
