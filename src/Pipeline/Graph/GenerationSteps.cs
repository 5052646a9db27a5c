using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Graph;

/// <summary>The per-scene stages: image, then clip. Each checks its job's token before starting, skips what an earlier
/// run of the job made, reports progress and what it made to the job's owner, and returns a part, never throws.</summary>
public sealed class GenerationSteps(ISceneGenerator generator, StageTimeouts timeouts, PipelineMetrics metrics, ILogger<GenerationSteps> logger)
{
    public Task<JobPart> MakeImageAsync(SceneWork work)
    {
        var (job, scene) = (work.Job, work.Scene);
        if (job.Resumed.Clips.Contains(scene.Index))
        {
            return Task.FromResult<JobPart>(new SceneMade(job, scene.Index, scene.ImagePath, scene.VideoPath));
        }
        if (job.Resumed.Images.Contains(scene.Index))
        {
            return Task.FromResult<JobPart>(new SceneImaged(job, scene, scene.ImagePath));
        }
        return RunAsync(job, scene, JobStages.ImageGen, JobProgress.ImagePart(scene.Index), async (progress, ct) =>
        {
            var image = await generator.GenerateImageAsync(scene, progress, ct).ConfigureAwait(false);
            job.Made(new JobEvent.ImageReady(scene.Index, Path.GetFileName(image)));
            return new SceneImaged(job, scene, image);
        });
    }

    public Task<JobPart> MakeClipAsync(JobPart input) => input is SceneImaged imaged
        ? RunAsync(imaged.Job, imaged.Scene, JobStages.VideoGen, JobProgress.ClipPart(imaged.Scene.Index), async (progress, ct) =>
        {
            var clip = await generator.GenerateClipAsync(imaged.Scene, imaged.ImagePath, progress, ct).ConfigureAwait(false);
            imaged.Job.Made(new JobEvent.ClipReady(imaged.Scene.Index, Path.GetFileName(clip)));
            return new SceneMade(imaged.Job, imaged.Scene.Index, imaged.ImagePath, clip);
        })
        : Task.FromResult(input); // a failed part, or a scene resumed whole, passes straight on to the assembler

    private async Task<JobPart> RunAsync(JobRun job, SceneTask scene, string stage, string part, Func<IProgress<double>, CancellationToken, Task<JobPart>> make)
    {
        if (job.Cancellation.IsCancellationRequested)
        {
            return StageFailure.Skipped(job);
        }
        using var scope = job.BeginLogScope(logger);
        try
        {
            job.Report(stage, part, 0);
            var made = await StageClock.RunAsync(metrics, job, stage, timeouts.For(stage), f => job.Report(stage, part, f), make).ConfigureAwait(false);
            job.Report(stage, part, 1);
            return made;
        }
        catch (Exception ex)
        {
            return await StageFailure.ToPartAsync(job, stage, $"{stage} scene {scene.Index}", ex, logger).ConfigureAwait(false);
        }
    }
}
