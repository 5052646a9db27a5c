namespace VideoAkka.Pipeline.Generation.Null;

/// <summary>The null backend's scenes: a placeholder image and clip, no ffmpeg and no GPU. Every scene goes here,
/// given images and Ken Burns ones too (they would run ffmpeg). The clip may be held for a while
/// (videoakka.generation.null.delay), so that jobs stay in flight as they would on a GPU.</summary>
public sealed class NullSceneGenerator(TimeSpan clipDelay) : ISceneGenerator
{
    public const string BackendName = "null";

    public string Name => BackendName;

    public async Task<string> GenerateImageAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken)
    {
        await Placeholder.WriteAsync(scene.ImagePath, cancellationToken).ConfigureAwait(false);
        progress.Report(1);
        return scene.ImagePath;
    }

    public async Task<string> GenerateClipAsync(SceneTask scene, string imagePath, IProgress<double> progress, CancellationToken cancellationToken)
    {
        if (clipDelay > TimeSpan.Zero)
        {
            await Task.Delay(clipDelay, cancellationToken).ConfigureAwait(false);
        }
        await Placeholder.WriteAsync(scene.VideoPath, cancellationToken).ConfigureAwait(false);
        progress.Report(1);
        return scene.VideoPath;
    }
}
