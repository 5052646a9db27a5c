using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Music;

/// <summary>
/// Turns options.music into a file the render reads: a file in the run's folder (not a link), a file in the music
/// folder, or a download of an http(s) URL under the image_url rules (the address connected to is checked, the
/// size and the time are bounded). The file's demuxer is named from its first bytes.
/// </summary>
public sealed class MusicSource : IDisposable
{
    /// <summary>The download's name in the job folder, after its URL: a resumed render takes it again without fetching,
    /// and a later job reusing the run id with another URL never takes the earlier job's music.</summary>
    public static string DownloadName(Uri url) =>
        "music_url." + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..16] + ".download";

    private const int MaxRedirects = 3;
    private readonly MusicSettings _settings;
    private readonly HttpClient _http;

    public MusicSource(MusicSettings settings, bool allowPrivateNetworks)
    {
        _settings = settings;
        _http = new HttpClient(GuardedConnect.Handler(allowPrivateNetworks, "options.music", "videoakka.inputs.image-url.allow-private-networks", MaxRedirects))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("VideoAkka/1.0");
    }

    public async Task<MusicInput> ResolveAsync(MusicChoice choice, string jobFolder, CancellationToken cancellationToken)
    {
        var path = choice.Kind switch
        {
            MusicSourceKind.File => InRunFolder(choice.Value, jobFolder),
            MusicSourceKind.Library => _settings.Library.Find(choice.Value)
                ?? throw new FileNotFoundException($"music \"{choice.Value}\" is not in the music folder (videoakka.inputs.music.folder)"),
            _ => await DownloadAsync(new Uri(choice.Value), Path.Combine(jobFolder, DownloadName(new Uri(choice.Value))), cancellationToken).ConfigureAwait(false),
        };
        return new MusicInput(path, AudioFormat.Demuxer(path));
    }

    private static string InRunFolder(string name, string jobFolder)
    {
        var path = Path.Combine(jobFolder, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"music {name} is not in the run's folder");
        }
        if (new FileInfo(path).LinkTarget is not null)
        {
            throw new InvalidDataException($"music {name} is a link, not a file in the run's folder");
        }
        return path;
    }

    private async Task<string> DownloadAsync(Uri url, string target, CancellationToken cancellationToken)
    {
        if (File.Exists(target) && new FileInfo(target).LinkTarget is null)
        {
            return target; // downloaded for an earlier run of the job (a link planted under its name is not taken)
        }
        var partial = target + ".partial";
        try
        {
            await GuardedDownload.ToFileAsync(_http, url, partial,
                new DownloadRules("music URL", _settings.MaxBytes, "videoakka.inputs.music.max-bytes", _settings.Timeout, "videoakka.inputs.music.timeout"),
                cancellationToken).ConfigureAwait(false);
            File.Move(partial, target, overwrite: true);
            return target;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public void Dispose() => _http.Dispose();
}
