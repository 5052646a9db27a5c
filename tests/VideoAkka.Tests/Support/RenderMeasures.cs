using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace VideoAkka.Tests.Support;

/// <summary>What ffmpeg's own analysers read off a rendered file: frame rate, black stretches, loudness (ebur128),
/// and the RMS level of a band of frequencies in a window of time (astats).</summary>
public static partial class RenderMeasures
{
    /// <summary>The video stream's average frame rate (ffprobe's avg_frame_rate).</summary>
    public static async Task<double> FrameRateAsync(string path)
    {
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=avg_frame_rate", "-of", "csv=p=0", path])
            .ExecuteBufferedAsync();
        var parts = result.StandardOutput.Trim().Split('/');
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    /// <summary>The stretches blackdetect reports (any length, default picture and pixel thresholds).</summary>
    public static async Task<IReadOnlyList<string>> BlackStretchesAsync(string path)
    {
        var stderr = await FfmpegStderrAsync(["-i", path, "-map", "0:v", "-vf", "blackdetect=d=0", "-f", "null", "-"]);
        return [.. stderr.Split('\n').Where(l => l.Contains("black_start", StringComparison.Ordinal))];
    }

    /// <summary>Integrated loudness (LUFS) and true peak (dBTP) of the whole audio track, by ebur128.</summary>
    public static async Task<(double Integrated, double TruePeak)> LoudnessAsync(string path)
    {
        var stderr = await FfmpegStderrAsync(["-i", path, "-map", "0:a", "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"]);
        var summary = stderr[stderr.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        return (Number(IntegratedPattern().Match(summary)), Number(PeakPattern().Match(summary)));
    }

    /// <summary>The RMS level (dBFS) of what passes <paramref name="bandFilter"/> from <paramref name="from"/> to
    /// <paramref name="to"/> seconds.</summary>
    public static async Task<double> BandLevelAsync(string path, string bandFilter, double from, double to)
    {
        var window = string.Create(CultureInfo.InvariantCulture, $"atrim={from}:{to},{bandFilter},astats=measure_overall=RMS_level:measure_perchannel=none");
        var stderr = await FfmpegStderrAsync(["-i", path, "-map", "0:a", "-af", window, "-f", "null", "-"]);
        return Number(RmsPattern().Match(stderr));
    }

    private static async Task<string> FfmpegStderrAsync(string[] args)
    {
        var result = await Cli.Wrap("ffmpeg").WithArguments(["-hide_banner", "-nostats", .. args]).ExecuteBufferedAsync();
        return result.StandardError;
    }

    private static double Number(Match match) =>
        match.Success
            ? match.Groups[1].Value == "-inf" ? double.NegativeInfinity : double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("ffmpeg printed no such measurement");

    [GeneratedRegex(@"I:\s+(-?[\d.]+|-inf) LUFS")]
    private static partial Regex IntegratedPattern();

    [GeneratedRegex(@"Peak:\s+(-?[\d.]+|-inf) dBFS")]
    private static partial Regex PeakPattern();

    [GeneratedRegex(@"RMS level dB: (-?[\d.]+|-inf)")]
    private static partial Regex RmsPattern();
}
