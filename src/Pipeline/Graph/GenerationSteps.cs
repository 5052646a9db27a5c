using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Graph;

/// <summary>The per-scene stages: image, then clip. Each checks its job's token before starting, reports progress
/// to the ledger, and returns a part, never throws.</summary>
public sealed class GenerationSteps(ISceneGenerator generator, JobLedger ledger, ILogger<GenerationSteps> logger)
{
    public async Task<JobPart> MakeImageAsync(SceneWork work)
    {
        var (job, scene) = (work.Job, work.Scene);
        if (job.Cancellation.IsCancellationRequested)
        {
            return StageFailure.Skipped(job);
        }
        var part = JobProgress.ImagePart(scene.Index);
        try
        {
            ledger.Report(job, JobStages.ImageGen, part, 0);
            var image = await generator.GenerateImageAsync(scene, Progress(job, JobStages.ImageGen, part), job.Cancellation).ConfigureAwait(false);
            ledger.Report(job, JobStages.ImageGen, part, 1);
            return new SceneImaged(job, scene, image);
        }
        catch (Exception ex)
        {
            return StageFailure.ToPart(job, $"image-gen scene {scene.Index}", ex, logger);
        }
    }

    public async Task<JobPart> MakeClipAsync(JobPart input)
    {
        if (input is not SceneImaged imaged)
        {
            return input; // a failed part passes straight on to the assembler
        }
        var (job, scene) = (imaged.Job, imaged.Scene);
        if (job.Cancellation.IsCancellationRequested)
        {
            return StageFailure.Skipped(job);
        }
        var part = JobProgress.ClipPart(scene.Index);
        try
        {
            ledger.Report(job, JobStages.VideoGen, part, 0);
            var clip = await generator.GenerateClipAsync(scene, imaged.ImagePath, Progress(job, JobStages.VideoGen, part), job.Cancellation).ConfigureAwait(false);
            ledger.Report(job, JobStages.VideoGen, part, 1);
            return new SceneMade(job, scene.Index, imaged.ImagePath, clip);
        }
        catch (Exception ex)
        {
            return StageFailure.ToPart(job, $"video-gen scene {scene.Index}", ex, logger);
        }
    }

    private InlineProgress Progress(JobRun job, string stage, string part) => new(f => ledger.Report(job, stage, part, f));
}
