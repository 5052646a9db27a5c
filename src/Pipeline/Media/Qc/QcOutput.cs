using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VideoAkka.Pipeline.Media.Qc;

/// <summary>Reads the tools' own words: ffprobe's JSON, ebur128's summary and blackdetect's lines on ffmpeg's stderr,
/// and the cues of a subtitle file. Anything unreadable reads as not found, never as a pass.</summary>
public static partial class QcOutput
{
    /// <summary>The first video and audio streams' codecs and the container's duration, from
    /// <c>ffprobe -show_entries stream=codec_type,codec_name:format=duration -of json</c>.</summary>
    public static (string? Video, string? Audio, double? Duration) ParseProbe(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            string? video = null, audio = null;
            if (root.TryGetProperty("streams", out var streams) && streams.ValueKind == JsonValueKind.Array)
            {
                foreach (var stream in streams.EnumerateArray())
                {
                    var type = Text(stream, "codec_type");
                    var codec = Text(stream, "codec_name") ?? "unknown";
                    if (type == "video" && video is null)
                    {
                        video = codec;
                    }
                    else if (type == "audio" && audio is null)
                    {
                        audio = codec;
                    }
                }
            }
            double? duration = root.TryGetProperty("format", out var format) && Text(format, "duration") is { } d
                && double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
                ? seconds
                : null;
            return (video, audio, duration);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    /// <summary>Integrated loudness and true peak from ebur128's summary (the per-frame lines, if any, are ignored).</summary>
    public static (double? IntegratedLufs, double? TruePeakDbtp) ParseLoudness(IEnumerable<string> stderr)
    {
        double? integrated = null, peak = null;
        var inSummary = false;
        foreach (var line in stderr)
        {
            if (line.Contains("Summary:", StringComparison.Ordinal))
            {
                inSummary = true;
                continue;
            }
            if (!inSummary)
            {
                continue;
            }
            if (integrated is null && Integrated().Match(line) is { Success: true } i)
            {
                integrated = Number(i.Groups[1].Value);
            }
            else if (peak is null && Peak().Match(line) is { Success: true } p)
            {
                peak = Number(p.Groups[1].Value);
            }
        }
        return (integrated, peak);
    }

    /// <summary>The longest black_duration blackdetect reported, 0 when none.</summary>
    public static double LongestBlack(IEnumerable<string> stderr) =>
        stderr.Select(l => BlackDuration().Match(l)).Where(m => m.Success)
            .Select(m => Number(m.Groups[1].Value) ?? 0).DefaultIfEmpty(0).Max();

    /// <summary>Cues with text in an SRT ("-->" timing lines followed by text) or ASS ("Dialogue:" lines) file.</summary>
    public static int CountCues(string subtitleText)
    {
        var lines = subtitleText.ReplaceLineEndings("\n").Split('\n');
        var dialogues = lines.Count(l => l.StartsWith("Dialogue:", StringComparison.Ordinal) && l.Split(',', 10).Length == 10 && l.Split(',', 10)[9].Trim().Length > 0);
        var srt = lines.Select((l, i) => (l, i)).Count(x => x.l.Contains("-->", StringComparison.Ordinal) && x.i + 1 < lines.Length && lines[x.i + 1].Trim().Length > 0);
        return dialogues + srt;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>ebur128 prints "-inf" for true silence: the lowest it measures stands in for it.</summary>
    private static double? Number(string text) => text switch
    {
        "-inf" => -70,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) => value,
        _ => null,
    };

    [GeneratedRegex(@"^\s*I:\s+(-?[0-9.]+|-inf) LUFS")]
    private static partial Regex Integrated();

    [GeneratedRegex(@"^\s*Peak:\s+(-?[0-9.]+|-inf) dBFS")]
    private static partial Regex Peak();

    [GeneratedRegex(@"black_duration:\s*([0-9.]+)")]
    private static partial Regex BlackDuration();
}
