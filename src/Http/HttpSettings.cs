namespace VideoAkka.Http;

/// <summary>What the HTTP API needs to know: where job folders are (to serve videos from nowhere else) and how big
/// a request may be, whether a scene's image_url may name a loopback or private address, and how many jobs may wait.</summary>
/// <param name="MaxQueueLength">videoakka.api.max-queue-length; 0: no limit.</param>
public sealed record HttpSettings(string DataRoot, long MaxBodyBytes = HttpSettings.DefaultMaxBodyBytes, bool AllowPrivateImageUrls = false, int MaxQueueLength = 0)
{
    /// <summary>videoakka.api.events-heartbeat: how often an idle event stream gets a comment line.</summary>
    public TimeSpan EventsHeartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The text-to-speech engines configured (videoakka.tts) and ComfyUI's speech workflows: options.voice may
    /// name these and no other.</summary>
    public Pipeline.Jobs.VoiceCatalog Voices { get; init; } = Pipeline.Jobs.VoiceCatalog.EspeakOnly;

    /// <summary>videoakka.inputs.music.folder: a name in options.music must be there at submit; null: not checked here.</summary>
    public VideoAkka.Pipeline.Media.Music.MusicLibrary? Music { get; init; }

    /// <summary>What a 429 and a 503 ask clients to wait before they try again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    public const long DefaultMaxBodyBytes = 1024 * 1024;
}
