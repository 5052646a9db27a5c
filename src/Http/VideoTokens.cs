using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace VideoAkka.Http;

/// <summary>
/// Short-lived links to one job's video for a browser: a &lt;video&gt; element (and a download link) cannot send the
/// X-API-Key header, so a client that holds a key asks for a token (POST /orchestrate/video/{job_id}/token) and puts
/// it in the video's URL. A token is "{expiry unix seconds}.{HMAC-SHA256 over the job id and the expiry}", keyed by a
/// key derived from an API key: every API instance with the same VIDEOAKKA_API_KEY accepts it, it opens that one
/// job's video and nothing else, and it stops working at its expiry (or when its API key is removed).
/// </summary>
public sealed class VideoTokens
{
    public const string QueryName = "token";

    /// <summary>Long enough to watch and seek through a video; short enough that a link that leaks soon dies.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("videoakka video token v1");

    private readonly byte[][] _keys;

    /// <param name="apiKeyDigests">The SHA-256 digests of the API keys, the first one signing.</param>
    internal VideoTokens(IEnumerable<byte[]> apiKeyDigests) =>
        _keys = [.. apiKeyDigests.Select(digest => HMACSHA256.HashData(digest, Purpose))];

    public (string Token, DateTimeOffset ExpiresAt) Mint(string jobId, DateTimeOffset now)
    {
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + Lifetime).ToUnixTimeSeconds());
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return ($"{expiry}.{WebEncoders.Base64UrlEncode(Sign(_keys[0], jobId, expiry))}", expiresAt);
    }

    public bool Accepts(string jobId, string? token, DateTimeOffset now)
    {
        if (token is null || token.Length > 128 || token.Split('.') is not [var expiry, var signature]
            || !long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds <= now.ToUnixTimeSeconds())
        {
            return false;
        }
        byte[] presented;
        try
        {
            presented = WebEncoders.Base64UrlDecode(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        var accepted = false;
        foreach (var key in _keys)
        {
            accepted |= CryptographicOperations.FixedTimeEquals(Sign(key, jobId, expiry), presented);
        }
        return accepted;
    }

    private static byte[] Sign(byte[] key, string jobId, string expiry) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{jobId}\n{expiry}"));
}

/// <summary>Endpoint metadata: this route (GET/HEAD of one job's video) also opens with a video token.</summary>
public sealed record AcceptsVideoToken
{
    public static AcceptsVideoToken Instance { get; } = new();
}
