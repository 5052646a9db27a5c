namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// One scene of a job: the prompt for its image, an optional separate motion prompt for its clip,
/// and an optional clip length in seconds.
/// </summary>
public sealed record ScenePrompt(string Image, string? Video = null, double? Duration = null);
