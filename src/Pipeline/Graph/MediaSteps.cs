using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Graph;

/// <summary>The stages that work on sound and the whole video: voiceover (per job, beside its scenes), subtitles and
/// the final render (per assembled job). Each returns a value, never throws.</summary>
public sealed class MediaSteps(EspeakVoiceover voiceovers, FinalRenderer renderer, RenderSettings renderSettings, StageTimeouts timeouts,
    PipelineMetrics metrics, ILogger<MediaSteps> logger)
{
    public async Task<JobPart> MakeVoiceoverAsync(JobRun job)
    {
        if (!job.Request.Options.Voiceover)
        {
            return new VoiceoverMade(job, null);
        }
        if (job.Resumed.Voiceover is { } made)
        {
            return new VoiceoverMade(job, made);
        }
        if (job.Cancellation.IsCancellationRequested)
        {
            return StageFailure.Skipped(job);
        }
        using var scope = job.BeginLogScope(logger);
        try
        {
            job.Report(JobStages.Tts, JobProgress.VoiceoverPart, 0);
            var voiceover = await StageClock.RunAsync(metrics, job, JobStages.Tts, timeouts.Tts, f => job.Report(JobStages.Tts, JobProgress.VoiceoverPart, f),
                (progress, ct) => voiceovers.SpeakAsync(job.Request.Script, job.Request.Options.Voice ?? job.DefaultVoice, job.Folder, progress, ct))
                .ConfigureAwait(false);
            job.Made(new JobEvent.VoiceoverReady(Path.GetFileName(voiceover.Path), voiceover.DurationSeconds,
                [.. voiceover.Cues.Select(c => new SpokenCue(c.Start, c.End, c.Text))]));
            job.Report(JobStages.Tts, JobProgress.VoiceoverPart, 1);
            return new VoiceoverMade(job, voiceover);
        }
        catch (Exception ex)
        {
            return await StageFailure.ToPartAsync(job, JobStages.Tts, "tts", ex, logger).ConfigureAwait(false);
        }
    }

    /// <summary>Times the script's cues (from the speech, or across the clips when there is no voiceover) and writes
    /// subtitles.srt.</summary>
    public async Task<JobStep> WriteSubtitlesAsync(AssembledJob assembled)
    {
        var job = assembled.Job;
        if (job.Cancellation.IsCancellationRequested)
        {
            return new JobFailed(job, "cancelled");
        }
        using var scope = job.BeginLogScope(logger);
        try
        {
            job.Report(JobStages.Subtitle, JobProgress.SubtitlePart, 0);
            var duration = assembled.Voiceover?.DurationSeconds ?? job.Scenes.Sum(s => s.DurationSeconds);
            var cues = assembled.Voiceover?.Cues
                ?? CueTiming.Proportional(SentenceSplitter.Split(job.Request.Script), duration);
            var path = job.Folder.Subtitles;
            await StageClock.RunAsync(metrics, job, JobStages.Subtitle, timeouts.Subtitle, _ => { }, async (_, ct) =>
            {
                await File.WriteAllTextAsync(path, SrtWriter.Write(cues), ct).ConfigureAwait(false);
                return path;
            }).ConfigureAwait(false);
            job.Report(JobStages.Subtitle, JobProgress.SubtitlePart, 1);
            return assembled with { SubtitlePath = path, DurationSeconds = duration };
        }
        catch (Exception ex)
        {
            return new JobFailed(job, await StageFailure.DescribeAsync(job, JobStages.Subtitle, "subtitle", ex, logger).ConfigureAwait(false));
        }
    }

    /// <summary>One ffmpeg pass: stitch the clips, fit them to the narration, lay the voiceover, burn the subtitles.</summary>
    public async Task<JobStep> RenderAsync(JobStep step)
    {
        if (step is not AssembledJob assembled)
        {
            return step;
        }
        var job = assembled.Job;
        if (job.Cancellation.IsCancellationRequested)
        {
            return new JobFailed(job, "cancelled");
        }
        if (job.Resumed.FinalVideo is { } rendered)
        {
            return new JobSucceeded(job, rendered, assembled.Voiceover?.Path);
        }
        using var scope = job.BeginLogScope(logger);
        try
        {
            job.Report(JobStages.Stitch, JobProgress.RenderPart, 0);
            var plan = new RenderPlan(
                job.Folder.Path,
                [.. assembled.Scenes.Select(s => Path.GetFileName(s.ClipPath))],
                assembled.Voiceover is null ? null : Path.GetFileName(assembled.Voiceover.Path),
                assembled.SubtitlePath is null ? null : Path.GetFileName(assembled.SubtitlePath),
                assembled.DurationSeconds,
                job.Format,
                renderSettings)
            {
                SceneSeconds = SceneShares.FromSceneTexts([.. job.Request.Prompts.Select(p => p.Text)], assembled.Voiceover?.Cues ?? [], assembled.DurationSeconds)
                    ?? default,
                Options = job.Request.Options.Render,
            };
            var output = await StageClock.RunAsync(metrics, job, JobStages.Stitch, timeouts.Stitch, f => job.Report(JobStages.Stitch, JobProgress.RenderPart, f),
                (progress, ct) => renderer.RenderAsync(plan, progress, ct)).ConfigureAwait(false);
            job.Made(new JobEvent.Rendered(Path.GetFileName(output)));
            return new JobSucceeded(job, output, assembled.Voiceover?.Path);
        }
        catch (Exception ex)
        {
            return new JobFailed(job, await StageFailure.DescribeAsync(job, JobStages.Stitch, "stitch", ex, logger).ConfigureAwait(false));
        }
    }
}
