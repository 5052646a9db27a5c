namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// The generator the graph uses: routes each scene to its sources (see <see cref="SceneSources"/>). A given image
/// (image_url, image_file) replaces the backend's image prompt; a Ken Burns scene gets its clip from ffmpeg instead of
/// an image-to-video prompt; a given clip (clip_file) replaces both; everything else goes to the backend (ComfyUI, or
/// the draft renderer).
/// </summary>
public sealed class SceneMaker(ISceneGenerator backend, GivenImages givenImages, GivenClips givenClips, KenBurnsClip kenBurns) : ISceneGenerator
{
    public string Name => backend.Name;

    public Task<string> GenerateImageAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken) => scene.Sources.Image switch
    {
        ImageSource.Url => givenImages.FetchAsync(scene, progress, cancellationToken),
        ImageSource.File => givenImages.ImportAsync(scene, progress, cancellationToken),
        ImageSource.ClipFrame => givenClips.FirstFrameAsync(scene, progress, cancellationToken),
        _ => backend.GenerateImageAsync(scene, progress, cancellationToken),
    };

    public Task<string> GenerateClipAsync(SceneTask scene, string imagePath, IProgress<double> progress, CancellationToken cancellationToken) => scene.Sources.Clip switch
    {
        ClipSource.KenBurns => kenBurns.MakeAsync(scene, imagePath, progress, cancellationToken),
        ClipSource.File => givenClips.ImportAsync(scene, progress, cancellationToken),
        _ => backend.GenerateClipAsync(scene, imagePath, progress, cancellationToken),
    };
}
