namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// Makes a scene's image, and its clip from that image. The draft renderer (ffmpeg) implements it today; the
/// ComfyUI backend will implement the same two calls. Each returns the path of the file it made inside the job
/// folder, reports progress 0..1, and stops when the token is cancelled.
/// </summary>
public interface ISceneGenerator
{
    /// <summary>A short name for logs and the manifest ("draft", "comfyui").</summary>
    string Name { get; }

    Task<string> GenerateImageAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken);

    Task<string> GenerateClipAsync(SceneTask scene, string imagePath, IProgress<double> progress, CancellationToken cancellationToken);
}
