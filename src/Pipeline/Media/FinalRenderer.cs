using System.Globalization;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media.Music;

namespace VideoAkka.Pipeline.Media;

/// <summary>Runs the final render (see <see cref="RenderArguments"/>) in the job folder, reports ffmpeg's progress, and
/// publishes stitched_subtitled.mp4 by renaming only when ffmpeg succeeded. options.music is resolved to a file first
/// (<see cref="MusicSource"/>).</summary>
public sealed class FinalRenderer(ToolRunner tools, MusicSource? music = null) : IFinalRender
{
    public async Task<string> RenderAsync(RenderPlan plan, IProgress<double> progress, CancellationToken cancellationToken)
    {
        if (plan.Options.Music is { } choice && plan.Music is null)
        {
            var source = music ?? throw new InvalidOperationException("this worker has no music source configured");
            plan = plan with { Music = await source.ResolveAsync(choice, plan.Folder, cancellationToken).ConfigureAwait(false) };
        }
        var partial = Path.Combine(plan.Folder, JobFolder.PartialVideoName);
        var final = Path.Combine(plan.Folder, JobFolder.FinalVideoName);
        File.Delete(final);
        try
        {
            await tools.RunAsync(
                tools.Settings.Ffmpeg,
                RenderArguments.Build(plan, JobFolder.PartialVideoName),
                plan.Folder,
                cancellationToken,
                line => ReportProgress(line, plan.DurationSeconds, progress)).ConfigureAwait(false);
            File.Move(partial, final, overwrite: true);
            return final;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>ffmpeg's -progress prints key=value lines; out_time_us is how far the output has got.</summary>
    private static void ReportProgress(string line, double duration, IProgress<double> progress)
    {
        if (duration > 0 && line.StartsWith("out_time_us=", StringComparison.Ordinal)
            && long.TryParse(line.AsSpan("out_time_us=".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros))
        {
            progress.Report(micros / 1_000_000.0 / duration);
        }
    }
}
