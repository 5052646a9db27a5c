using System.Text;
using System.Text.Json;
using Flurl.Http;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Notify;

/// <summary>
/// Posts a finished job's outcome to the webhook, one try at a time: the outbox (see Graph/OutboxDelivery) decides
/// when to try again. Each try carries the Standard Webhooks headers, and a signature when a key is set.
/// </summary>
public sealed class WebhookNotifier(WebhookSettings settings, TimeProvider clock) : IDisposable
{
    private readonly FlurlClient _client = new();

    public WebhookSettings Settings => settings;

    public async Task<WebhookTry> PostOnceAsync(JobRecord finished, CancellationToken cancellationToken)
    {
        if (settings.Url is null)
        {
            return new WebhookTry(false, null, "no webhook URL is set");
        }
        // Timestamped with when the outcome happened, not when this try is made: every try of one event sends the same
        // body (and so the same signed content).
        var body = JsonSerializer.Serialize(WebhookPayload.For(finished, finished.FinishedAt ?? clock.GetUtcNow()), WebhookJson.Default.WebhookPayload);
        return await TryPostAsync(EventId(finished), body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>webhook-id: the same for every delivery of one outcome (receivers deduplicate on it), another for the
    /// outcome of a later run of the job.</summary>
    public static string EventId(JobRecord finished) =>
        $"{finished.JobId}.{finished.Status.ToWire()}.{finished.FinishedAt?.ToUnixTimeMilliseconds() ?? 0}";

    private async Task<WebhookTry> TryPostAsync(string id, string body, CancellationToken cancellationToken)
    {
        try
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            var request = _client.Request(settings.Url)
                .WithTimeout(settings.AttemptTimeout)
                .AllowAnyHttpStatus()
                .WithHeader("webhook-id", id)
                .WithHeader("webhook-timestamp", timestamp);
            if (settings.SigningKey is { } key)
            {
                request = request.WithHeader("webhook-signature", WebhookSigning.Sign(key, id, timestamp, body));
            }
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await request.PostAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.StatusCode is >= 200 and < 300
                ? new WebhookTry(true, response.StatusCode, null)
                : new WebhookTry(false, response.StatusCode, $"HTTP {response.StatusCode}");
        }
        catch (FlurlHttpException ex)
        {
            // Flurl's own message names the URL, and a webhook URL often carries a token: only the kind of failure.
            return new WebhookTry(false, null, ex switch
            {
                FlurlHttpTimeoutException => $"no answer within {settings.AttemptTimeout}",
                _ => ex.InnerException is { } inner ? $"{inner.GetType().Name}: {Unaddressed(inner.Message)}" : "the request failed",
            });
        }
    }

    /// <summary>Socket messages name the host and port, never the path or query where a token sits; still, keep only
    /// the text before any URL.</summary>
    private static string Unaddressed(string message)
    {
        var url = message.IndexOf("://", StringComparison.Ordinal);
        return url < 0 ? message : message[..Math.Max(0, message.LastIndexOf(' ', url) )].TrimEnd(' ', '(', ':');
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>One try: answered 2xx or not, the HTTP status if there was an answer, and why it failed.</summary>
public sealed record WebhookTry(bool Delivered, int? Status, string? Error);
