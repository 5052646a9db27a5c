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
}
