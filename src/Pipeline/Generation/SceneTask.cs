using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Generation;

/// <summary>One scene of one job, as a generator sees it: what to make, how big, how long, and where to put it.</summary>
/// <param name="Index">1-based scene number; it names the files (img_001.png, vid_001.mp4).</param>
public sealed record SceneTask(string JobId, string Folder, int Index, ScenePrompt Prompt, double DurationSeconds, VideoFormat Format)
{
    public string ImageFile => SceneFiles.Image(Index);

    public string VideoFile => SceneFiles.Video(Index);
}

/// <summary>The seed's file names for a scene's outputs. Ours, never a backend's: a name from outside never picks a path.</summary>
public static class SceneFiles
{
    public static string Image(int index) => $"img_{index:000}.png";

    public static string Video(int index) => $"vid_{index:000}.mp4";
}
