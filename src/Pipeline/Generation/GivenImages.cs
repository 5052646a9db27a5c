using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// A scene's image when the client gives it: fetched from its image_url, or taken from a file already in the run's
/// folder (image_file). Either way it is decoded and fitted to the job's frame by ffmpeg into img_NNN.png, so what
/// follows never sees the client's bytes as they came.
/// The fetch treats the URL as hostile: http(s) only, the address actually connected to is checked (so neither DNS
/// nor a redirect can lead to loopback, private or link-local addresses unless allowed), the answer must say it is an
/// image, and both its size and the time it takes are bounded.
/// </summary>
public sealed class GivenImages : IDisposable
{
    private const int MaxRedirects = 3;
    private readonly HttpClient _http;
    private readonly ImageUrlSettings _settings;
    private readonly MediaNormalizer _media;

    public GivenImages(ImageUrlSettings settings, MediaNormalizer media)
    {
        _settings = settings;
        _media = media;
        // A raw SocketsHttpHandler rather than Flurl: the connect callback is where the address is checked.
        var handler = GuardedConnect.Handler(settings.AllowPrivateNetworks, "image_url", "videoakka.inputs.image-url.allow-private-networks", MaxRedirects);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("VideoAkka/1.0");
    }

    public async Task<string> FetchAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var url = scene.Prompt.ImageUrl ?? throw new InvalidOperationException("the scene has no image_url");
        var download = scene.Folder.File($".image_url_{scene.Index:000}");
        try
        {
            await GuardedDownload.ToFileAsync(_http, url, download, DownloadRules, cancellationToken).ConfigureAwait(false);
            progress.Report(0.5);
            await _media.NormalizeImageAsync(download, scene.ImagePath, scene.Format, cancellationToken).ConfigureAwait(false);
            progress.Report(1);
            return scene.ImagePath;
        }
        finally
        {
            File.Delete(download);
        }
    }

    private DownloadRules DownloadRules => new("image_url", _settings.MaxBytes, "videoakka.inputs.image-url.max-bytes",
        _settings.Timeout, "videoakka.inputs.image-url.timeout", "image/", "an image");

    public async Task<string> ImportAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var name = scene.Prompt.ImageFile ?? throw new InvalidOperationException("the scene has no image_file");
        var source = scene.Folder.File(name);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"image_file {name} is not in the run's folder");
        }
        if (new FileInfo(source).LinkTarget is not null)
        {
            // A link could lead anywhere on the worker's disk: only a file really in the folder is taken.
            throw new InvalidDataException($"image_file {name} is a link, not a file in the run's folder");
        }
        // Written beside and renamed, never over the given file while it is read.
        var partial = scene.Folder.File($".image_file_{scene.Index:000}.png");
        try
        {
            await _media.NormalizeImageAsync(source, partial, scene.Format, cancellationToken).ConfigureAwait(false);
            File.Move(partial, scene.ImagePath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        progress.Report(1);
        return scene.ImagePath;
    }

    public void Dispose() => _http.Dispose();
}
