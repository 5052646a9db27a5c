using System.Globalization;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;

namespace VideoAkka.Tests.Support;

/// <summary>What ffprobe says a file is.</summary>
public sealed record MediaInfo(double Duration, IReadOnlyList<StreamInfo> Streams)
{
    public StreamInfo Video => Streams.Single(s => s.Type == "video");

    public StreamInfo Audio => Streams.Single(s => s.Type == "audio");

    public static async Task<MediaInfo> ProbeAsync(string path)
    {
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name,width,height,duration", "-of", "json", path])
            .ExecuteBufferedAsync();
        using var json = JsonDocument.Parse(result.StandardOutput);
        var streams = json.RootElement.GetProperty("streams").EnumerateArray().Select(s => new StreamInfo(
            s.GetProperty("codec_type").GetString()!,
            s.GetProperty("codec_name").GetString()!,
            s.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
            s.TryGetProperty("height", out var h) ? h.GetInt32() : 0,
            s.TryGetProperty("duration", out var d) ? double.Parse(d.GetString()!, CultureInfo.InvariantCulture) : 0)).ToList();
        // A still image has no duration.
        var duration = json.RootElement.GetProperty("format").TryGetProperty("duration", out var length)
            ? double.Parse(length.GetString()!, CultureInfo.InvariantCulture)
            : 0;
        return new MediaInfo(duration, streams);
    }

    /// <summary>One frame at <paramref name="seconds"/>, cropped to a horizontal band, as 8-bit gray pixels.</summary>
    /// <param name="band">"top" or "bottom" third of the frame.</param>
    public static async Task<byte[]> GrayBandAsync(string path, double seconds, string band)
    {
        var crop = band == "top" ? "crop=iw:ih/3:0:0" : "crop=iw:ih/3:0:ih*2/3";
        var pixels = new MemoryStream();
        await Cli.Wrap("ffmpeg")
            .WithArguments(["-v", "error", "-ss", seconds.ToString(CultureInfo.InvariantCulture), "-i", path, "-frames:v", "1",
                "-vf", $"{crop},format=gray", "-f", "rawvideo", "-"])
            .WithStandardOutputPipe(PipeTarget.ToStream(pixels))
            .ExecuteAsync();
        return pixels.ToArray();
    }
}

public sealed record StreamInfo(string Type, string Codec, int Width, int Height, double Duration);
