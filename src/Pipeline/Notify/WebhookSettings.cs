namespace VideoAkka.Pipeline.Notify;

/// <summary>Where and how job outcomes are posted. A null <paramref name="Url"/> means no webhook.</summary>
/// <param name="FirstBackoff">Wait before the second try; it doubles after each failed try.</param>
/// <param name="SigningKey">HMAC key of the Standard Webhooks signature (VIDEOAKKA_WEBHOOK_SECRET); null: unsigned.</param>
/// <param name="MaxAttempts">0: no cap, only <paramref name="GiveUpAfter"/>.</param>
/// <param name="GiveUpAfter">Counted from when the job finished.</param>
public sealed record WebhookSettings(Uri? Url, int MaxAttempts, TimeSpan FirstBackoff, TimeSpan AttemptTimeout, byte[]? SigningKey = null,
    TimeSpan? MaxBackoff = null, TimeSpan? GiveUpAfter = null)
{
    public static WebhookSettings Disabled { get; } = new(null, 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    /// <summary>The wait after the given number of failed tries: doubling from the first backoff, capped.</summary>
    public TimeSpan BackoffAfter(int failedTries)
    {
        var cap = MaxBackoff ?? TimeSpan.FromMinutes(10);
        var wait = FirstBackoff * Math.Pow(2, Math.Min(failedTries - 1, 30));
        return wait < cap ? wait : cap;
    }

    /// <summary>Validated once at startup, so a typo fails the start rather than every job's notification.</summary>
    public static Uri? ParseUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            // Not echoed: a webhook URL often carries a token.
            throw new ArgumentException("VIDEO_COMPLETED_N8N_WEBHOOK_URL must be an absolute http(s) URL");
        }
        return url;
    }
}
