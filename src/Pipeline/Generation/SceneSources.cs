using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Generation;

/// <summary>Where a scene's image comes from: the generation backend, or the client (by URL or as a file in the run's
/// folder).</summary>
public enum ImageSource
{
    Backend,
    Url,
    File,
}

/// <summary>Where a scene's clip comes from: the backend (image-to-video), or a Ken Burns pan and zoom made with ffmpeg.</summary>
public enum ClipSource
{
    Backend,
    KenBurns,
}

/// <summary>Which source makes a scene's image and clip; decided once, when the job starts, and recorded in
/// manifest.json.</summary>
public sealed record SceneSources(ImageSource Image, ClipSource Clip)
{
    public static SceneSources For(ScenePrompt scene, JobOptions options) => new(
        scene.ImageUrl is not null ? ImageSource.Url : scene.ImageFile is not null ? ImageSource.File : ImageSource.Backend,
        (scene.Motion ?? options.Motion) == SceneMotion.KenBurns ? ClipSource.KenBurns : ClipSource.Backend);

    /// <summary>The manifest's name for who made the image: the backend's name, "image_url" or "image_file".</summary>
    public string ImageMaker(string backend) => Image switch
    {
        ImageSource.Url => "image_url",
        ImageSource.File => "image_file",
        _ => backend,
    };

    /// <summary>The manifest's name for who made the clip: the backend's name or "kenburns".</summary>
    public string ClipMaker(string backend) => Clip == ClipSource.KenBurns ? "kenburns" : backend;
}
