using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Graph;

/// <summary>The per-scene stages: image, then clip. Each checks its job's token before starting, reports progress
/// to the ledger, and returns a part, never throws.</summary>
public sealed class GenerationSteps(ISceneGenerator generator, JobLedger ledger, ILogger<GenerationSteps> logger)
{
    public Task<JobPart> MakeImageAsync(SceneWork work) =>
        RunAsync(work.Job, work.Scene, JobStages.ImageGen, JobProgress.ImagePart(work.Scene.Index),
            async (progress, ct) => new SceneImaged(work.Job, work.Scene, await generator.GenerateImageAsync(work.Scene, progress, ct).ConfigureAwait(false)));

    public Task<JobPart> MakeClipAsync(JobPart input) => input is SceneImaged imaged
        ? RunAsync(imaged.Job, imaged.Scene, JobStages.VideoGen, JobProgress.ClipPart(imaged.Scene.Index),
            async (progress, ct) => new SceneMade(imaged.Job, imaged.Scene.Index, imaged.ImagePath,
                await generator.GenerateClipAsync(imaged.Scene, imaged.ImagePath, progress, ct).ConfigureAwait(false)))
        : Task.FromResult(input); // a failed part passes straight on to the assembler

    private async Task<JobPart> RunAsync(JobRun job, SceneTask scene, string stage, string part, Func<IProgress<double>, CancellationToken, Task<JobPart>> make)
    {
        if (job.Cancellation.IsCancellationRequested)
        {
            return StageFailure.Skipped(job);
        }
        try
        {
            ledger.Report(job, stage, part, 0);
            var made = await make(new InlineProgress(f => ledger.Report(job, stage, part, f)), job.Cancellation).ConfigureAwait(false);
            ledger.Report(job, stage, part, 1);
            return made;
        }
        catch (Exception ex)
        {
            return StageFailure.ToPart(job, $"{stage} scene {scene.Index}", ex, logger);
        }
    }
}
