using VideoAkka.Pipeline.Media;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// A scene's clip when the client gives it (clip_file): a video already in the run's folder. It replaces both
/// generation steps: the image step takes its first frame (the scene's thumbnail), the clip step brings it into
/// vid_NNN.mp4 as it is, size and frame rate kept, since the final render fits every clip to the frame in one pass.
/// The file is hostile input: only a regular file really in the folder, a container named from its first bytes, a
/// video stream ffprobe reads, and no frame larger than <see cref="MediaNormalizer.MaxPixels"/>.
/// </summary>
public sealed class GivenClips(MediaNormalizer media, Ffprobe probe)
{
    /// <summary>Codecs an MP4 carries that ffmpeg decodes everywhere: copied as they are, not encoded again.</summary>
    private static readonly HashSet<string> CopiedCodecs = new(StringComparer.Ordinal) { "h264", "hevc", "av1", "vp9", "mpeg4" };

    public async Task<string> FirstFrameAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var source = await CheckedSourceAsync(scene, cancellationToken).ConfigureAwait(false);
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
        }
        progress.Report(1);
        return scene.ImagePath;
    }

    public async Task<string> ImportAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken)
    {
        // Checked again: the folder is shared, and the file may have changed since its first frame was taken.
        var source = await CheckedSourceAsync(scene, cancellationToken).ConfigureAwait(false);
        var partial = scene.Folder.File($".clip_file_{scene.Index:000}.mp4");
        try
        {
            await media.ImportClipAsync(source.Path, partial, CopiedCodecs.Contains(source.Stream.Codec), cancellationToken).ConfigureAwait(false);
            File.Move(partial, scene.VideoPath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        progress.Report(1);
        return scene.VideoPath;
    }

    private async Task<(string Path, VideoStreamInfo Stream)> CheckedSourceAsync(SceneTask scene, CancellationToken cancellationToken)
    {
        var name = scene.Prompt.ClipFile ?? throw new InvalidOperationException("the scene has no clip_file");
        var path = scene.Folder.File(name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"clip_file {name} is not in the run's folder");
        }
        if (new FileInfo(path).LinkTarget is not null)
        {
            // A link could lead anywhere on the worker's disk: only a file really in the folder is taken.
            throw new InvalidDataException($"clip_file {name} is a link, not a file in the run's folder");
        }
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
        return (path, stream);
    }
}
