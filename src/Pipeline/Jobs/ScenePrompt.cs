namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// One scene of a job: the prompt for its image, an optional separate motion prompt for its clip, an optional clip
/// length in seconds, and, "if needed" (the seed's words), a given image instead of a generated one, a Ken Burns clip
/// instead of a generated one, and a fixed seed.
/// </summary>
/// <param name="Image">The image prompt; empty only when the scene brings its image (<paramref name="ImageUrl"/> or
/// <paramref name="ImageFile"/>) or its clip (<paramref name="ClipFile"/>).</param>
/// <param name="ImageUrl">An http(s) image to fetch instead of generating one.</param>
/// <param name="ImageFile">A plain file name in the run's folder to use instead of generating one.</param>
/// <param name="Motion">How the clip is made; null: as the job's options say.</param>
/// <param name="Seed">A fixed generation seed; null: the job's seed, or a random one.</param>
/// <param name="Text">The narration this scene illustrates: when every scene has one, scene lengths follow its speech.</param>
/// <param name="ClipFile">A plain file name of a video in the run's folder to use as the scene's clip, instead of
/// generating an image and a clip (the scene's image is then a frame of it).</param>
public sealed record ScenePrompt(
    string Image,
    string? Video = null,
    double? Duration = null,
    Uri? ImageUrl = null,
    string? ImageFile = null,
    SceneMotion? Motion = null,
    long? Seed = null,
    string? Text = null,
    string? ClipFile = null);
