using VideoAkka.Pipeline.Media;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// A scene's clip when the client gives it (clip_file): a video already in the run's folder. It replaces both
/// generation steps: the image step takes its first frame (the scene's thumbnail), the clip step brings it into
/// vid_NNN.mp4 as it is, size and frame rate kept, since the final render fits every clip to the frame in one pass.
/// The file is hostile input, in a folder others can write to: it is opened once, the opened file must be the
/// folder's own entry (not a link swapped in after any check), and only a private copy of it is sniffed, probed and
/// used. Its length and frame size are bounded: a longer clip is cut, a larger one scaled down on import.
/// </summary>
public sealed class GivenClips(MediaNormalizer media, Ffprobe probe)
{
    /// <summary>Codecs an MP4 carries that ffmpeg decodes everywhere: copied as they are, not encoded again.</summary>
    private static readonly HashSet<string> CopiedCodecs = new(StringComparer.Ordinal) { "h264", "hevc", "av1", "vp9", "mpeg4" };

    /// <summary>The most of a given clip kept: no scene share comes near it, and nothing larger is worth copying.</summary>
    public const int MaxSeconds = 600;

    /// <summary>Larger frames are scaled down on import: the final render opens every clip at once.</summary>
    public const int MaxWidth = 2560;
    public const int MaxHeight = 2560;

    public async Task<string> FirstFrameAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var source = await PrivateCopyAsync(scene, cancellationToken).ConfigureAwait(false);
        // Written beside and renamed: a half-written image must never pass for a made one on resume.
        var partial = scene.Folder.File($".clip_file_{scene.Index:000}.png");
        try
        {
            await media.FrameOfClipAsync(source.Path, partial, scene.Format, cancellationToken).ConfigureAwait(false);
            File.Move(partial, scene.ImagePath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
            File.Delete(source.Path);
        }
        progress.Report(1);
        return scene.ImagePath;
    }

    public async Task<string> ImportAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken)
    {
        // Copied again: the folder is shared, and the file may have changed since its first frame was taken.
        var source = await PrivateCopyAsync(scene, cancellationToken).ConfigureAwait(false);
        var partial = scene.Folder.File($".clip_file_{scene.Index:000}.mp4");
        try
        {
            var copy = CopiedCodecs.Contains(source.Stream.Codec) && source.Stream.Width <= MaxWidth && source.Stream.Height <= MaxHeight;
            await media.ImportClipAsync(source.Path, partial, copy, MaxWidth, MaxHeight, MaxSeconds, cancellationToken).ConfigureAwait(false);
            File.Move(partial, scene.VideoPath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
            File.Delete(source.Path);
        }
        progress.Report(1);
        return scene.VideoPath;
    }

    /// <summary>Copies the clip through one handle into a hidden file of this scene, then checks the copy.</summary>
    private async Task<(string Path, VideoStreamInfo Stream)> PrivateCopyAsync(SceneTask scene, CancellationToken cancellationToken)
    {
        var name = scene.Prompt.ClipFile ?? throw new InvalidOperationException("the scene has no clip_file");
        var path = scene.Folder.File(name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"clip_file {name} is not in the run's folder");
        }
        var copy = scene.Folder.File($".clip_file_{scene.Index:000}.source");
        File.Delete(copy); // CreateNew below never follows a link left at this name: it fails instead
        try
        {
            await using (var target = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            await using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
            {
                // What the kernel opened, by its real path: the folder's own entry, or something a link led to.
                var folder = Path.GetDirectoryName(OpenedPath(target));
                if (OpenedPath(source) != Path.Join(folder, name))
                {
                    throw new InvalidDataException($"clip_file {name} is a link, not a file in the run's folder");
                }
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }
            return (copy, await CheckedStreamAsync(name, copy, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            File.Delete(copy);
            throw;
        }
    }

    private static string? OpenedPath(FileStream stream) =>
        File.ResolveLinkTarget($"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}", returnFinalTarget: false)?.FullName;

    private async Task<VideoStreamInfo> CheckedStreamAsync(string name, string path, CancellationToken cancellationToken)
    {
        VideoStreamInfo? stream;
        try
        {
            stream = await probe.VideoStreamAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            throw new InvalidDataException($"clip_file {name} is not an MP4, MOV, WebM or MKV video");
        }
        catch (MediaToolException ex)
        {
            throw new InvalidDataException($"clip_file {name} could not be read as a video ({ex.Message})");
        }
        if (stream is null)
        {
            throw new InvalidDataException($"clip_file {name} has no video stream");
        }
        if (stream.Width <= 0 || stream.Height <= 0 || (long)stream.Width * stream.Height > MediaNormalizer.MaxPixels)
        {
            throw new InvalidDataException($"clip_file {name} is {stream.Width}x{stream.Height}; at most {MediaNormalizer.MaxPixels} pixels a frame are taken");
        }
        return stream;
    }
}
