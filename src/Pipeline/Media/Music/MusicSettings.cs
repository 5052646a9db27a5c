namespace VideoAkka.Pipeline.Media.Music;

/// <summary>videoakka.inputs.music: where named music lives, and how a music URL is fetched (the image_url rules:
/// private addresses follow videoakka.inputs.image-url.allow-private-networks).</summary>
/// <param name="Folder">The music folder; null or empty: no names can be used.</param>
/// <param name="MaxBytes">A larger download fails the job.</param>
/// <param name="Timeout">The whole fetch, headers and body.</param>
public sealed record MusicSettings(string? Folder, long MaxBytes, TimeSpan Timeout)
{
    public static MusicSettings Default { get; } = new(null, 50 * 1024 * 1024, TimeSpan.FromSeconds(60));

    public MusicLibrary Library => new(string.IsNullOrWhiteSpace(Folder) ? null : Folder);
}
