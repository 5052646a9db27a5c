namespace VideoAkka.Http;

/// <summary>What the HTTP API needs to know: where job folders are (to serve videos from nowhere else) and how big
/// a request may be, and whether a scene's image_url may name a loopback or private address.</summary>
public sealed record HttpSettings(string DataRoot, long MaxBodyBytes = HttpSettings.DefaultMaxBodyBytes, bool AllowPrivateImageUrls = false)
{
    public const long DefaultMaxBodyBytes = 1024 * 1024;
}
