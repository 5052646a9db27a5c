using System.Collections.Immutable;
using System.Globalization;

namespace VideoAkka.Pipeline.Media.Qc;

/// <summary>
/// Measures a finished render (ffprobe for its streams and length; one ffmpeg decode for ebur128 loudness and
/// blackdetect; the subtitle file for its cues) and judges it (see <see cref="QcEvaluation"/>). A file ffprobe cannot
/// read at all fails the video check rather than throwing.
/// </summary>
public sealed class QualityCheck(ToolRunner runner, QcSettings settings) : IQualityCheck
{
    /// <summary>blackdetect lines kept: every stretch of any real video, bounded for a flickering one.</summary>
    private const int MaxBlackLines = 20_000;

    /// <summary>The last lines kept: ebur128 prints its summary (a dozen lines) last, after any number of warnings.</summary>
    private const int TailLines = 64;

    public QcSettings Settings { get; } = settings;

    /// <param name="folder">The job folder: the tools run there, and the files are names in it.</param>
    public async Task<QcReport> CheckAsync(string folder, string videoFile, QcExpectations expected, CancellationToken cancellationToken)
    {
        var measured = await MeasureAsync(folder, videoFile, expected, cancellationToken).ConfigureAwait(false);
        return QcEvaluation.Evaluate(measured, expected, Settings);
    }

    public async Task<QcMeasurements> MeasureAsync(string folder, string videoFile, QcExpectations expected, CancellationToken cancellationToken)
    {
        var cues = await CountCuesAsync(folder, expected.SubtitleFile, cancellationToken).ConfigureAwait(false);
        var video = Path.Combine(folder, videoFile);
        if (!File.Exists(video))
        {
            return new QcMeasurements(null, null, null, null, null, 0, cues);
        }
        string probe;
        try
        {
            probe = await runner.RunAsync(runner.Settings.Ffprobe,
                ["-v", "error", "-show_entries", "stream=codec_type,codec_name:format=duration", "-of", "json", videoFile],
                folder, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaToolException)
        {
            return new QcMeasurements(null, null, null, null, null, 0, cues); // not a readable video at all
        }
        var (videoCodec, audioCodec, duration) = QcOutput.ParseProbe(probe);
        var analysis = await AnalyseAsync(folder, videoFile, videoCodec is not null, audioCodec is not null, cancellationToken).ConfigureAwait(false);
        var (lufs, peak) = QcOutput.ParseLoudness(analysis);
        return new QcMeasurements(videoCodec, audioCodec, duration, lufs, peak, QcOutput.LongestBlack(analysis), cues);
    }

    /// <summary>One decode of the whole file through blackdetect and ebur128 (to the null muxer): their findings are
    /// printed on stderr at the info level.</summary>
    private async Task<ImmutableArray<string>> AnalyseAsync(string folder, string videoFile, bool hasVideo, bool hasAudio, CancellationToken cancellationToken)
    {
        if (!hasVideo && !hasAudio)
        {
            return [];
        }
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-i", videoFile };
        if (hasVideo)
        {
            // d=0.1: every stretch is reported, so the longest is measured rather than only "over the limit".
            args.AddRange(["-map", "0:v:0", "-vf", string.Create(CultureInfo.InvariantCulture,
                $"blackdetect=d=0.1:pic_th={Settings.BlackPictureThreshold}:pix_th={Settings.BlackPixelThreshold}")]);
        }
        if (hasAudio)
        {
            // framelog=verbose keeps the ten-per-second lines out of stderr; the summary is still printed at info.
            args.AddRange(["-map", "0:a:0", "-af", "ebur128=peak=true:framelog=verbose"]);
        }
        args.AddRange(["-f", "null", "-"]);
        // The stretches as they come, and the end of the output (the loudness summary): a long render's warnings
        // can neither push the summary out nor grow the buffer. CliWrap hands stderr lines over one at a time.
        var black = new List<string>();
        var tail = new Queue<string>(TailLines);
        await runner.RunAsync(runner.Settings.Ffmpeg, args, folder, cancellationToken, onErrorLine: line =>
        {
            if (line.Contains("black_start", StringComparison.Ordinal))
            {
                if (black.Count < MaxBlackLines)
                {
                    black.Add(line);
                }
                return;
            }
            if (tail.Count == TailLines)
            {
                tail.Dequeue();
            }
            tail.Enqueue(line);
        }).ConfigureAwait(false);
        return [.. black, .. tail];
    }

    private static async Task<int?> CountCuesAsync(string folder, string? subtitleFile, CancellationToken cancellationToken)
    {
        if (subtitleFile is null)
        {
            return null;
        }
        var path = Path.Combine(folder, subtitleFile);
        return File.Exists(path) ? QcOutput.CountCues(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)) : null;
    }
}
