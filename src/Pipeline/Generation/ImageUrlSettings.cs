namespace VideoAkka.Pipeline.Generation;

/// <summary>How a scene's image_url is fetched (videoakka.inputs.image-url).</summary>
/// <param name="AllowPrivateNetworks">Fetch from loopback and private addresses too (tests; trusted networks).</param>
/// <param name="MaxBytes">A larger image fails the job.</param>
/// <param name="Timeout">The whole fetch, headers and body.</param>
public sealed record ImageUrlSettings(bool AllowPrivateNetworks, long MaxBytes, TimeSpan Timeout)
{
    public static ImageUrlSettings Default { get; } = new(false, 25 * 1024 * 1024, TimeSpan.FromSeconds(30));
}
