using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Generation;

/// <summary>Where a scene's image comes from: the generation backend, the client (by URL or as a file in the run's
/// folder), or a frame of the clip the client gave.</summary>
public enum ImageSource
{
    Backend,
    Url,
    File,
    ClipFrame,
}

/// <summary>Where a scene's clip comes from: the backend (image-to-video), a Ken Burns pan and zoom made with ffmpeg,
/// or a video file the client put in the run's folder.</summary>
public enum ClipSource
{
    Backend,
    KenBurns,
    File,
}

/// <summary>Which source makes a scene's image and clip; decided once, when the job starts, and recorded in
/// manifest.json.</summary>
public sealed record SceneSources(ImageSource Image, ClipSource Clip)
{
    public static SceneSources For(ScenePrompt scene, JobOptions options) => scene.ClipFile is not null
        ? new(ImageSource.ClipFrame, ClipSource.File)
        : new(
            scene.ImageUrl is not null ? ImageSource.Url : scene.ImageFile is not null ? ImageSource.File : ImageSource.Backend,
            (scene.Motion ?? options.Motion) == SceneMotion.KenBurns ? ClipSource.KenBurns : ClipSource.Backend);

    /// <summary>The manifest's name for who made the image: the backend's name, "image_url" or "image_file".</summary>
    public string ImageMaker(string backend) => Image switch
    {
        ImageSource.Url => "image_url",
        ImageSource.File => "image_file",
        ImageSource.ClipFrame => "clip_file",
        _ => backend,
    };

    /// <summary>The manifest's name for who made the clip: the backend's name, "kenburns" or "clip_file".</summary>
    public string ClipMaker(string backend) => Clip switch
    {
        ClipSource.KenBurns => "kenburns",
        ClipSource.File => "clip_file",
        _ => backend,
    };
}
