using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Generation;

/// <summary>One scene of one job, as a generator sees it: what to make, how big, how long, with which seed, and where
/// to put it.</summary>
/// <param name="Index">1-based scene number; it names the files (img_001.png, vid_001.mp4).</param>
/// <param name="Seed">The generation seed, fixed by the request or drawn at random when the job started (recorded in
/// manifest.json, so a scene can be made again).</param>
/// <param name="Sources">Which source makes this scene's image and clip.</param>
public sealed record SceneTask(
    string JobId,
    JobFolder Folder,
    int Index,
    ScenePrompt Prompt,
    double DurationSeconds,
    VideoFormat Format,
    long Seed,
    SceneSources Sources)
{
    public string ImageFile => JobFolder.ImageName(Index);

    public string VideoFile => JobFolder.VideoName(Index);

    public string ImagePath => Folder.Image(Index);

    public string VideoPath => Folder.Video(Index);

    /// <summary>The clip's motion prompt: the scene's video prompt, or its image prompt when it has none.</summary>
    public string MotionPrompt => Prompt.Video ?? Prompt.Image;
}
