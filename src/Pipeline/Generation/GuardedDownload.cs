namespace VideoAkka.Pipeline.Generation;

/// <summary>How one kind of URL a request names is fetched: what the messages call it, its limits and the settings
/// that hold them, and the media type its answer must have (null: any).</summary>
internal sealed record DownloadRules(string What, long MaxBytes, string MaxBytesSetting, TimeSpan Timeout, string TimeoutSetting,
    string? RequiredType = null, string? RequiredTypeNoun = null);

/// <summary>
/// A URL from a request, fetched to a file under its rules: a success status, the media type asked for, never more
/// than the byte limit (a Content-Length is a claim, the bytes are counted) and within the timeout. Failures are
/// <see cref="InvalidDataException"/> or <see cref="TimeoutException"/> whose messages name the host at most, never
/// the URL (its query may hold a token). The caller owns the file, and deletes what a failure leaves.
/// </summary>
internal static class GuardedDownload
{
    public static async Task ToFileAsync(HttpClient http, Uri url, string path, DownloadRules rules, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(rules.Timeout);
        var tooLarge = $"{rules.What} is larger than {rules.MaxBytesSetting} ({rules.MaxBytes} bytes)";
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidDataException($"{rules.What} answered {(int)response.StatusCode}");
            }
            var type = response.Content.Headers.ContentType?.MediaType;
            if (rules.RequiredType is { } required && (type is null || !type.StartsWith(required, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidDataException($"{rules.What} is not {rules.RequiredTypeNoun} (Content-Type {type ?? "missing"})");
            }
            if (response.Content.Headers.ContentLength > rules.MaxBytes)
            {
                throw new InvalidDataException(tooLarge);
            }
            await using var source = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await BoundedCopy.ToFileAsync(source, path, rules.MaxBytes, () => new InvalidDataException(tooLarge), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{rules.What} did not answer within {rules.Timeout} ({rules.TimeoutSetting})");
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidDataException($"{rules.What} could not be fetched from {url.Host}: {ex.InnerException?.Message ?? ex.Message}");
        }
    }
}
