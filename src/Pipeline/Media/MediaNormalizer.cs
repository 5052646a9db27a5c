using System.Globalization;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// Brings an image or clip from outside (a ComfyUI output, a client's image) to the job's frame: size (covering the
/// frame, centred crop), square pixels, frame rate and length. ffmpeg decoding it is also the check that it is what it
/// claims to be: anything it cannot read fails the job with ffmpeg's reason. The demuxer is named from the file's first
/// bytes (<see cref="InputFormat"/>), never guessed, and no decoded frame may be larger than <see cref="MaxPixels"/>.
/// </summary>
public sealed class MediaNormalizer(ToolRunner tools)
{
    /// <summary>8192 x 8192: a small file declaring huge dimensions must not decode into gigabytes.</summary>
    public const long MaxPixels = 8192L * 8192;

    /// <summary>Writes <paramref name="target"/> (a .png) from the first frame of <paramref name="source"/>.</summary>
    public Task NormalizeImageAsync(string source, string target, VideoFormat format, CancellationToken cancellationToken) =>
        FirstFrameAsync(InputFormat.Image(source), source, target, format, cancellationToken);

    /// <summary>Writes <paramref name="target"/> (H.264 .mp4, no audio) from <paramref name="source"/>: at the job's
    /// size and frame rate, exactly <paramref name="seconds"/> long (a shorter clip holds its last frame).</summary>
    public Task NormalizeClipAsync(string source, string target, VideoFormat format, double seconds, CancellationToken cancellationToken)
    {
        var duration = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        return tools.RunAsync(
            tools.Settings.Ffmpeg,
            ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-max_pixels", MaxPixelsText, "-f", InputFormat.Video(source), "-i", source, "-an",
             "-vf", string.Create(CultureInfo.InvariantCulture, $"{Cover(format)},fps={format.Fps},tpad=stop_mode=clone:stop_duration={duration},format=yuv420p"),
             "-t", duration, "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", target],
            Path.GetDirectoryName(target)!,
            cancellationToken);
    }

    /// <summary>Writes <paramref name="target"/> (a .png at the job's frame) from the first frame of the clip
    /// <paramref name="source"/>.</summary>
    public Task FrameOfClipAsync(string source, string target, VideoFormat format, CancellationToken cancellationToken) =>
        FirstFrameAsync(InputFormat.Video(source), source, target, format, cancellationToken);

    private Task FirstFrameAsync(string demuxer, string source, string target, VideoFormat format, CancellationToken cancellationToken) =>
        tools.RunAsync(
            tools.Settings.Ffmpeg,
            ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-max_pixels", MaxPixelsText, "-f", demuxer, "-i", source, "-frames:v", "1",
             "-vf", Cover(format) + ",format=rgb24", "-update", "1", target],
            Path.GetDirectoryName(target)!,
            cancellationToken);

    /// <summary>Writes <paramref name="target"/> (.mp4, no audio, at most <paramref name="maxSeconds"/> long) from the
    /// first video stream of <paramref name="source"/> at its own size and rate: the final render fits every clip to
    /// the frame in its one pass, so a clip whose codec MP4 carries is copied, not encoded. Any other, or one larger
    /// than <paramref name="maxWidth"/> x <paramref name="maxHeight"/>, is encoded once (scaled down to fit, to even
    /// dimensions as 4:2:0 needs).</summary>
    public Task ImportClipAsync(string source, string target, bool copyStream, int maxWidth, int maxHeight, int maxSeconds, CancellationToken cancellationToken)
    {
        var seconds = maxSeconds.ToString(CultureInfo.InvariantCulture);
        return tools.RunAsync(
            tools.Settings.Ffmpeg,
            copyStream
                ? ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", InputFormat.Video(source), "-i", source, "-map", "0:v:0", "-an", "-sn", "-dn",
                   "-t", seconds, "-c:v", "copy", "-movflags", "+faststart", "-f", "mp4", target]
                : ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-max_pixels", MaxPixelsText, "-f", InputFormat.Video(source), "-i", source, "-map", "0:v:0", "-an", "-sn", "-dn",
                   "-t", seconds,
                   "-vf", string.Create(CultureInfo.InvariantCulture,
                       $"scale=w='min(iw,{maxWidth})':h='min(ih,{maxHeight})':force_original_aspect_ratio=decrease,scale=trunc(iw/2)*2:trunc(ih/2)*2,setsar=1,format=yuv420p"),
                   "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", target],
            Path.GetDirectoryName(target)!,
            cancellationToken);
    }

    internal static readonly string MaxPixelsText = MaxPixels.ToString(CultureInfo.InvariantCulture);

    private static string Cover(VideoFormat format) => string.Create(CultureInfo.InvariantCulture,
        $"scale={format.Width}:{format.Height}:force_original_aspect_ratio=increase,crop={format.Width}:{format.Height},setsar=1");
}
