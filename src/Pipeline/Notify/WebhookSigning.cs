using System.Security.Cryptography;
using System.Text;

namespace VideoAkka.Pipeline.Notify;

/// <summary>
/// Standard Webhooks signatures (standardwebhooks.com; what svix and comfyui-api send): the receiver checks
/// <c>webhook-signature</c> = <c>v1,</c> + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")).
/// </summary>
public static class WebhookSigning
{
    private const string SecretPrefix = "whsec_";

    /// <summary>VIDEOAKKA_WEBHOOK_SECRET as HMAC key bytes: <c>whsec_</c> + base64 is the key's bytes, decoded (the
    /// Standard Webhooks form); any other text is taken as its UTF-8 bytes. Null or empty: webhooks are not signed.</summary>
    public static byte[]? ParseSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(secret);
        }
        try
        {
            var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
            return key.Length > 0 ? key : throw new FormatException();
        }
        catch (FormatException)
        {
            // Never echo the secret, not even a part of it.
            throw new ArgumentException("VIDEOAKKA_WEBHOOK_SECRET starts with whsec_ but what follows is not base64");
        }
    }

    public static string Sign(byte[] key, string id, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
