using System.Text;
using System.Text.Json;
using Flurl.Http;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Notify;

/// <summary>
/// Posts a finished job's outcome to the webhook, retrying with exponential backoff. Delivery is best effort by
/// design: the job's outcome is already recorded when this runs, and a webhook that cannot be delivered is logged
/// and never changes it.
/// </summary>
public sealed class WebhookNotifier(WebhookSettings settings, ILogger<WebhookNotifier> logger, TimeProvider clock) : IDisposable
{
    private readonly FlurlClient _client = new();

    /// <returns>true when the receiver answered 2xx.</returns>
    public async Task<bool> NotifyAsync(JobRecord finished, CancellationToken cancellationToken)
    {
        if (settings.Url is null)
        {
            return false;
        }
        var body = JsonSerializer.Serialize(WebhookPayload.For(finished, clock.GetUtcNow()), WebhookJson.Default.WebhookPayload);
        var id = EventId(finished);
        var backoff = settings.FirstBackoff;
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            var failure = await TryPostAsync(id, body, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                logger.LogInformation("Webhook for job {JobId} delivered on attempt {Attempt}", finished.JobId, attempt);
                return true;
            }
            logger.LogWarning("Webhook for job {JobId} attempt {Attempt}/{MaxAttempts} failed: {Reason}", finished.JobId, attempt, settings.MaxAttempts, failure);
            if (attempt < settings.MaxAttempts)
            {
                await Task.Delay(backoff, clock, cancellationToken).ConfigureAwait(false);
                backoff *= 2;
            }
        }
        logger.LogError("Webhook for job {JobId} not delivered after {MaxAttempts} attempts; the job's outcome stands", finished.JobId, settings.MaxAttempts);
        return false;
    }

    /// <summary>webhook-id: the same for every delivery of one outcome (receivers deduplicate on it), another for the
    /// outcome of a later run of the job.</summary>
    public static string EventId(JobRecord finished) =>
        $"{finished.JobId}.{finished.Status.ToWire()}.{finished.FinishedAt?.ToUnixTimeMilliseconds() ?? 0}";

    private async Task<string?> TryPostAsync(string id, string body, CancellationToken cancellationToken)
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
            return response.StatusCode is >= 200 and < 300 ? null : $"HTTP {response.StatusCode}";
        }
        catch (FlurlHttpException ex)
        {
            // Flurl's own message names the URL, and a webhook URL often carries a token: only the kind of failure.
            return ex switch
            {
                FlurlHttpTimeoutException => $"no answer within {settings.AttemptTimeout}",
                _ => ex.InnerException is { } inner ? $"{inner.GetType().Name}: {Unaddressed(inner.Message)}" : "the request failed",
            };
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
