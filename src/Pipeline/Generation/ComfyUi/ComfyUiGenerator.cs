using VideoAkka.Pipeline.Media;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// Makes scenes on ComfyUI: the image from the image workflow, the clip from the image-to-video workflow with the
/// scene's image uploaded as its start frame. Each prompt goes through the <see cref="ComfyUiPromptRunner"/> (a GPU
/// slot, retries on another instance while instances are unreachable), and its output is downloaded under our own
/// name and fitted to the job's frame by ffmpeg.
/// </summary>
public sealed class ComfyUiGenerator(ComfyUiPromptRunner prompts, MediaNormalizer media) : ISceneGenerator
{
    private readonly ComfyUiSettings _settings = prompts.Settings;

    public string Name => "comfyui";

    public async Task<string> GenerateImageAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var workflow = _settings.Image;
        var (width, height) = workflow.SizeFor(scene.Format.Width, scene.Format.Height);
        var values = new Dictionary<WorkflowInput, object>
        {
            [WorkflowInput.Positive] = scene.Prompt.Image,
            [WorkflowInput.Seed] = scene.Seed,
            [WorkflowInput.Width] = width,
            [WorkflowInput.Height] = height,
            [WorkflowInput.FilenamePrefix] = $"videoakka/{scene.JobId}/{Path.GetFileNameWithoutExtension(scene.ImageFile)}",
        };
        var download = await prompts.RunAsync(
            new ComfyUiPrompt(workflow.Template, "image", ComfyUiOutputKind.Image, (_, _) => Task.FromResult(values), Target(scene, "image")),
            progress, cancellationToken).ConfigureAwait(false);
        try
        {
            await media.NormalizeImageAsync(download, scene.ImagePath, scene.Format, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(download);
        }
        return scene.ImagePath;
    }

    public async Task<string> GenerateClipAsync(SceneTask scene, string imagePath, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var workflow = _settings.ImageToVideo;
        var (width, height) = workflow.SizeFor(scene.Format.Width, scene.Format.Height);
        async Task<Dictionary<WorkflowInput, object>> ValuesOn(ComfyUiClient client, CancellationToken ct) => new()
        {
            [WorkflowInput.Positive] = scene.MotionPrompt,
            [WorkflowInput.Seed] = scene.Seed,
            [WorkflowInput.Width] = width,
            [WorkflowInput.Height] = height,
            [WorkflowInput.Length] = workflow.FramesFor(scene.DurationSeconds),
            [WorkflowInput.Fps] = workflow.Fps,
            // Uploaded to the instance that runs the prompt, into a folder of this job; ComfyUI may rename it.
            [WorkflowInput.Image] = await client.UploadImageAsync(imagePath, $"videoakka/{scene.JobId}", ct).ConfigureAwait(false),
            [WorkflowInput.FilenamePrefix] = $"videoakka/{scene.JobId}/{Path.GetFileNameWithoutExtension(scene.VideoFile)}",
        };
        var download = await prompts.RunAsync(
            new ComfyUiPrompt(workflow.Template, "clip", ComfyUiOutputKind.Video, ValuesOn, Target(scene, "clip")),
            progress, cancellationToken).ConfigureAwait(false);
        try
        {
            await media.NormalizeClipAsync(download, scene.VideoPath, scene.Format, scene.DurationSeconds, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaToolException ex) when (download.EndsWith(".webp", StringComparison.Ordinal))
        {
            // ffmpeg before 7.1 has no animated WebP decoder (Debian 12 ships 5.1).
            throw new ComfyUiException($"the clip workflow saved an animated WebP, which this ffmpeg cannot read ({ex.Message}); save the clip with SaveVideo (mp4) or SaveWEBM");
        }
        finally
        {
            File.Delete(download);
        }
        return scene.VideoPath;
    }

    /// <summary>A hidden file in the job folder, named by us.</summary>
    private static Func<string, string> Target(SceneTask scene, string what) =>
        extension => scene.Folder.File($".comfyui_{what}_{scene.Index:000}{extension}");
}
