namespace VideoAkka.Http;

/// <summary>What the HTTP API needs to know: where job folders are (to serve videos from nowhere else) and how big
/// a request may be.</summary>
public sealed record HttpSettings(string DataRoot, long MaxBodyBytes = HttpSettings.DefaultMaxBodyBytes)
{
    public const long DefaultMaxBodyBytes = 1024 * 1024;
}
