using System.Globalization;

namespace VideoAkka.Pipeline.Media;

/// <summary>Reads what a media file really is. Durations drive subtitle timing and the length of the final cut.</summary>
public sealed class Ffprobe(ToolRunner runner)
{
    public async Task<double> DurationSecondsAsync(string path, CancellationToken cancellationToken)
    {
        var output = await runner.RunAsync(
            runner.Settings.Ffprobe,
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", path],
            Path.GetDirectoryName(Path.GetFullPath(path))!,
            cancellationToken).ConfigureAwait(false);
        if (!double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new InvalidDataException($"ffprobe found no duration in {Path.GetFileName(path)}");
        }
        return seconds;
    }

    /// <summary>Whether the file exists and ffprobe reads a stream of <paramref name="kind"/> ("video" or "audio")
    /// in it: a file cut short by a killed process does not count.</summary>
    public async Task<bool> HasStreamAsync(string path, string kind, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            var output = await runner.RunAsync(
                runner.Settings.Ffprobe,
                ["-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", path],
                Path.GetDirectoryName(Path.GetFullPath(path))!,
                cancellationToken).ConfigureAwait(false);
            return output.Split('\n', StringSplitOptions.TrimEntries).Contains(kind);
        }
        catch (MediaToolException)
        {
            return false;
        }
    }

    /// <summary>The first video stream of a file from outside: codec, width and height, read with the demuxer named
    /// from its first bytes (<see cref="InputFormat"/>), never guessed. Null when it has no video stream.</summary>
    public async Task<VideoStreamInfo?> VideoStreamAsync(string path, CancellationToken cancellationToken)
    {
        var output = await runner.RunAsync(
            runner.Settings.Ffprobe,
            ["-v", "error", "-f", InputFormat.Video(path), "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "default=noprint_wrappers=1", path],
            Path.GetDirectoryName(Path.GetFullPath(path))!,
            cancellationToken).ConfigureAwait(false);
        // key=value lines, not csv: some streams (MPEG-2's side data) add fields a csv row would shift by.
        var fields = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First()[1], StringComparer.Ordinal);
        return fields.TryGetValue("codec_name", out var codec)
            && fields.TryGetValue("width", out var width) && int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && fields.TryGetValue("height", out var height) && int.TryParse(height, NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            ? new VideoStreamInfo(codec, w, h)
            : null;
    }
}

/// <summary>What ffprobe says of a file's first video stream.</summary>
public sealed record VideoStreamInfo(string Codec, int Width, int Height);
