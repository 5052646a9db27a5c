namespace VideoAkka.Pipeline.Jobs;

/// <summary>How the webhook of a job's outcome has fared, in its record as <c>webhook</c> (absent until the first try).</summary>
/// <param name="Attempts">Tries so far.</param>
/// <param name="LastStatus">The receiver's HTTP status on the last try, or null when it did not answer.</param>
/// <param name="LastError">Why the last try failed (never the URL), or null.</param>
/// <param name="DeliveredAt">When a try was answered 2xx; null while it is not.</param>
/// <param name="GaveUpAt">When delivery stopped without success (videoakka.webhook.give-up-after or attempts).</param>
public sealed record WebhookState(int Attempts, int? LastStatus, string? LastError, DateTimeOffset? DeliveredAt, DateTimeOffset? GaveUpAt = null);
