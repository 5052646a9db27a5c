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
}
