using System.Globalization;
using VideoAkka.Pipeline.Media;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// A clip made from a still image with ffmpeg alone: a slow, centred zoom for the scene's duration. The draft
/// renderer's clips, and the clip of any scene asked for with <c>motion: "kenburns"</c> (no GPU prompt).
/// </summary>
public sealed class KenBurnsClip(ToolRunner tools)
{
    /// <summary>How much the clip zooms in over its length (0.1 = 10%).</summary>
    private const double Zoom = 0.1;

    /// <param name="imagePath">An image inside the scene's folder, at the job's frame size.</param>
    public async Task<string> MakeAsync(SceneTask scene, string imagePath, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var (w, h, fps) = (scene.Format.Width, scene.Format.Height, scene.Format.Fps);
        var frames = Math.Max(1, (int)Math.Round(scene.DurationSeconds * fps, MidpointRounding.AwayFromZero));
        // scale+crop rather than zoompan: zoompan's centre jitters by pixels from frame to frame. The loop filter
        // repeats the decoded image instead of decoding the PNG again per frame. The first scale fits any image to
        // the frame (covering it), so a given image of another size or shape still fills the clip.
        var zoom = string.Create(CultureInfo.InvariantCulture, $"(1+{Zoom}*n/{frames})");
        var filter = string.Create(CultureInfo.InvariantCulture,
            $"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},setsar=1," +
            $"loop=loop={frames - 1}:size=1:start=0,setpts=N/{fps}/TB," +
            $"scale=w='2*trunc({w}*{zoom}/2)':h='2*trunc({h}*{zoom}/2)':eval=frame:flags=bicubic," +
            $"crop=w={w}:h={h}:x='trunc({w}*{zoom}/2)-{w}/2':y='trunc({h}*{zoom}/2)-{h}/2':exact=1,format=yuv420p");
        await tools.RunAsync(
            tools.Settings.Ffmpeg,
            ["-hide_banner", "-nostdin", "-y", "-loglevel", "error",
             "-i", Path.GetFileName(imagePath), "-vf", filter,
             "-r", fps.ToString(CultureInfo.InvariantCulture), "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
             "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", scene.VideoFile],
            scene.Folder.Path,
            cancellationToken).ConfigureAwait(false);
        progress.Report(1);
        return scene.VideoPath;
    }
}
