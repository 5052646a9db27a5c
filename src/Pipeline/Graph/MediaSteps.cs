using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Qc;
using VideoAkka.Pipeline.Media.Captions;
using VideoAkka.Pipeline.Media.Speech;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Graph;

/// <summary>The stages that work on sound and the whole video: voiceover (per job, beside its scenes), subtitles and
/// the final render (per assembled job). Each returns a value, never throws.</summary>
public sealed class MediaSteps(IVoiceovers voiceovers, ICaptionFiles captions, IFinalRender renderer, RenderSettings renderSettings, StageTimeouts timeouts,
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
                (progress, ct) => voiceovers.SpeakAsync(job.Request.Script, (job.Request.Options.Voice ?? new VoiceChoice(VoiceChoice.Espeak)).WithEspeakDefault(job.DefaultVoice),
                    job.Folder, progress, ct))
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
    /// subtitles.srt and the styled subtitles.ass that the render burns in.</summary>
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
                ?? CueTiming.Proportional(SentenceSplitter.Split(CaptionText.Speakable(job.Request.Script)), duration);
            // Words are timed by espeak-ng: with its own voice when it spoke, else the job's default voice (an HTTP
            // engine gives no word timings; espeak-ng's relative word lengths are scaled into each of its sentences).
            var voice = assembled.Voiceover is null ? null
                : job.Request.Options.Voice is { Engine: VoiceChoice.Espeak, Name: { } espeakVoice } ? espeakVoice : job.DefaultVoice;
            var path = await StageClock.RunAsync(metrics, job, JobStages.Subtitle, timeouts.Subtitle, _ => { },
                (_, ct) => captions.WriteAsync(cues, job.Request.Options.Captions, job.Format, voice, job.Folder, ct)).ConfigureAwait(false);
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
        // Checked again when resumed: a render made by a run that died before its check is not trusted unchecked.
        var expect = new QcExpectations(assembled.DurationSeconds, assembled.Voiceover is not null,
            assembled.SubtitlePath is null ? null : Path.GetFileName(assembled.SubtitlePath));
        if (job.Resumed.FinalVideo is { } rendered)
        {
            return new JobSucceeded(job, rendered, assembled.Voiceover?.Path) { Expect = expect };
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
                // Scenes with their own narration text last as long as it is spoken; otherwise the narration is shared
                // in proportion to the durations the request asked for (equal shares when they are equal).
                SceneSeconds = SceneShares.FromSceneTexts([.. job.Request.Prompts.Select(p => p.Text)], assembled.Voiceover?.Cues ?? [], assembled.DurationSeconds)
                    ?? [.. job.Scenes.Select(s => s.DurationSeconds)],
                Options = job.Request.Options.Render,
            };
            var output = await StageClock.RunAsync(metrics, job, JobStages.Stitch, timeouts.Stitch, f => job.Report(JobStages.Stitch, JobProgress.RenderPart, f),
                (progress, ct) => renderer.RenderAsync(plan, progress, ct)).ConfigureAwait(false);
            job.Made(new JobEvent.Rendered(Path.GetFileName(output)));
            return new JobSucceeded(job, output, assembled.Voiceover?.Path) { Expect = expect };
        }
        catch (Exception ex)
        {
            return new JobFailed(job, await StageFailure.DescribeAsync(job, JobStages.Stitch, "stitch", ex, logger).ConfigureAwait(false));
        }
    }
}
