using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flurl.Http;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// The HTTP half of ComfyUI's API for one instance (see ../shared/docs/comfyui-api.md), through Flurl. Every fault
/// that means "this instance cannot serve now" becomes a <see cref="ComfyUiUnavailableException"/> (retried
/// elsewhere); every answer that fails the job becomes a <see cref="ComfyUiException"/> with a message that names the
/// cause. Nothing ComfyUI sends ever names a path of ours.
/// </summary>
public sealed class ComfyUiClient(ComfyUiInstance instance, TimeSpan requestTimeout) : IDisposable
{
    /// <summary>The longest one call may take, the WebSocket handshake included.</summary>
    public TimeSpan RequestTimeout { get; } = requestTimeout;

    private readonly FlurlClient _http = new FlurlClient(instance.Url.ToString()).WithTimeout(requestTimeout).AllowAnyHttpStatus();

    public ComfyUiInstance Instance { get; } = instance;

    /// <summary>The WebSocket address for <paramref name="clientId"/>: the same host, ws or wss.</summary>
    public Uri SocketUrl(string clientId)
    {
        var builder = new UriBuilder(new Uri(Instance.Url, "ws")) { Scheme = Instance.Url.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" };
        builder.Query = "clientId=" + Uri.EscapeDataString(clientId);
        return builder.Uri;
    }

    /// <summary>POST /prompt with our own prompt id. A 400, or a 200 whose node_errors is not empty (ComfyUI queued
    /// only part of the graph), fails the job naming each node, its class and the reason.</summary>
    public async Task SubmitAsync(JsonObject graph, string promptId, string clientId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["prompt"] = graph, ["client_id"] = clientId, ["prompt_id"] = promptId }.ToJsonString();
        var (status, text) = await SendAsync("POST /prompt", ct => _http.Request("prompt")
            .PostAsync(new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (status == 200 && ComfyUiRefusal.Describe(status, text) is null)
        {
            return;
        }
        if (status == 200)
        {
            // Part of the graph was queued: take it back, the job fails on what was dropped.
            await TryAsync(ct => DeleteFromQueueAsync([promptId], ct), cancellationToken).ConfigureAwait(false);
            await TryAsync(ct => InterruptAsync(promptId, ct), cancellationToken).ConfigureAwait(false);
        }
        throw new ComfyUiException(ComfyUiRefusal.Describe(status, text) ?? $"ComfyUI answered {status} to POST /prompt");
    }

    /// <summary>GET /history/{id}: null until the prompt has finished (ComfyUI answers {} for pending, running and
    /// unknown ids alike).</summary>
    public async Task<ComfyUiHistoryEntry?> HistoryAsync(string promptId, CancellationToken cancellationToken)
    {
        var (status, text) = await SendAsync("GET /history", ct => _http.Request("history", promptId).GetAsync(cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        Expect(status, 200, "GET /history", text);
        using var json = Parse(text, "GET /history");
        return ComfyUiHistory.Parse(json.RootElement, promptId);
    }

    /// <summary>Whether ComfyUI still holds the prompt in its queue (pending or running): after a restart it does not.</summary>
    public async Task<bool> IsQueuedAsync(string promptId, CancellationToken cancellationToken)
    {
        var (status, text) = await SendAsync("GET /queue", ct => _http.Request("queue").GetAsync(cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        Expect(status, 200, "GET /queue", text);
        using var json = Parse(text, "GET /queue");
        foreach (var list in new[] { "queue_running", "queue_pending" })
        {
            if (json.RootElement.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 1 && item[1].ValueKind == JsonValueKind.String
                        && item[1].GetString() == promptId)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /// <summary>POST /queue {"delete": ids}: takes pending prompts out; a running one is not touched.</summary>
    public async Task DeleteFromQueueAsync(IReadOnlyList<string> promptIds, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["delete"] = new JsonArray([.. promptIds.Select(id => (JsonNode)JsonValue.Create(id))]) }.ToJsonString();
        var (status, text) = await SendAsync("POST /queue", ct => _http.Request("queue")
            .PostAsync(new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        Expect(status, 200, "POST /queue", text);
    }

    /// <summary>POST /interrupt {"prompt_id": id}: stops the prompt if it is the one running (never a global interrupt,
    /// which would stop someone else's prompt).</summary>
    public async Task InterruptAsync(string promptId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["prompt_id"] = promptId }.ToJsonString();
        var (status, text) = await SendAsync("POST /interrupt", ct => _http.Request("interrupt")
            .PostAsync(new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        Expect(status, 200, "POST /interrupt", text);
    }

    /// <summary>GET /system_stats: the health probe.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var (status, text) = await SendAsync("GET /system_stats", ct => _http.Request("system_stats").GetAsync(cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        Expect(status, 200, "GET /system_stats", text);
        using var json = Parse(text, "GET /system_stats");
        if (!json.RootElement.TryGetProperty("system", out _))
        {
            throw new ComfyUiUnavailableException(Instance, "GET /system_stats did not describe a ComfyUI system");
        }
    }

    /// <summary>POST /upload/image into <paramref name="subfolder"/> of ComfyUI's input folder. Returns the name to
    /// give LoadImage ("subfolder/name"), built from the name ComfyUI answers with: it renames a clash ("x (1).png").</summary>
    public async Task<string> UploadImageAsync(string path, string subfolder, CancellationToken cancellationToken)
    {
        var (status, text) = await SendAsync("POST /upload/image", ct => _http.Request("upload", "image")
            .PostMultipartAsync(content => content
                .AddFile("image", path, "image/png", fileName: Path.GetFileName(path))
                .AddString("type", "input")
                .AddString("subfolder", subfolder), cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        Expect(status, 200, "POST /upload/image", text);
        using var json = Parse(text, "POST /upload/image");
        var name = json.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var folder = json.RootElement.TryGetProperty("subfolder", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : subfolder;
        if (string.IsNullOrEmpty(name) || name.Contains('/') || name.Contains('\\') || name.Contains(".."))
        {
            throw new ComfyUiException($"ComfyUI at {Instance.Display} answered the upload with an unusable name");
        }
        return string.IsNullOrEmpty(folder) ? name : $"{folder}/{name}";
    }

    /// <summary>GET /view into <paramref name="destination"/> (a path of ours), refusing more than
    /// <paramref name="maxBytes"/>. ComfyUI's file name only goes into the query, never into a path.</summary>
    public async Task DownloadAsync(ComfyUiOutputFile file, string destination, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.Request("view")
                .SetQueryParams(new { filename = file.Filename, subfolder = file.Subfolder, type = file.Type })
                .GetAsync(HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is 502 or 503 or 504)
            {
                throw new ComfyUiUnavailableException(Instance, $"GET /view answered {response.StatusCode}");
            }
            if (response.StatusCode != 200)
            {
                throw new ComfyUiException($"ComfyUI at {Instance.Display} could not serve its output {file.Filename} (GET /view answered {response.StatusCode})");
            }
            if (response.ResponseMessage.Content.Headers.ContentLength is > 0 and var length && length > maxBytes)
            {
                throw new ComfyUiException($"ComfyUI's output {file.Filename} is {length} bytes, more than videoakka.comfyui.max-output-bytes ({maxBytes})");
            }
            await using var source = await response.GetStreamAsync().ConfigureAwait(false);
            var total = await BoundedCopy.ToFileAsync(source, destination, maxBytes,
                () => new ComfyUiException($"ComfyUI's output {file.Filename} is more than videoakka.comfyui.max-output-bytes ({maxBytes} bytes)"),
                cancellationToken).ConfigureAwait(false);
            if (total == 0)
            {
                throw new ComfyUiException($"ComfyUI's output {file.Filename} is empty");
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            throw Cancelled(ex, cancellationToken);
        }
        catch (Exception ex) when (Unreachable(ex, cancellationToken) is { } reason)
        {
            throw new ComfyUiUnavailableException(Instance, $"GET /view failed: {reason}");
        }
    }

    private async Task<(int Status, string Body)> SendAsync(string what, Func<CancellationToken, Task<IFlurlResponse>> send, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await send(cancellationToken).ConfigureAwait(false);
            var body = await response.GetStringAsync().ConfigureAwait(false);
            if (response.StatusCode is 502 or 503 or 504)
            {
                throw new ComfyUiUnavailableException(Instance, $"{what} answered {response.StatusCode}");
            }
            return (response.StatusCode, body);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            throw Cancelled(ex, cancellationToken);
        }
        catch (Exception ex) when (Unreachable(ex, cancellationToken) is { } reason)
        {
            throw new ComfyUiUnavailableException(Instance, $"{what} failed: {reason}");
        }
    }

    /// <summary>Why the instance could not be reached, or null when the exception means something else (our own
    /// cancellation, a local file error, a refusal). Only the HTTP and WebSocket stacks' own faults count: a full disk
    /// or a missing local file must fail the job, not take a healthy instance out of the rotation.</summary>
    internal static string? Unreachable(Exception ex, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || ex is ComfyUiException)
        {
            return null;
        }
        if (ex is FlurlHttpTimeoutException or TimeoutException || (ex is TaskCanceledException && ex.InnerException is TimeoutException))
        {
            return "timed out";
        }
        // The socket error says most ("connection refused"): look for it through the whole chain first.
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.ConnectionReset => "connection reset",
                    _ => socket.SocketErrorCode.ToString(),
                };
            }
        }
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }:
                    return "could not connect";
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }:
                    return "the connection closed mid-answer";
                case HttpIOException io:
                    return "the connection broke: " + io.Message;
                case System.Net.WebSockets.WebSocketException ws:
                    return "WebSocket: " + ws.Message;
                case HttpRequestException http:
                    return http.Message;
            }
        }
        return null;
    }

    /// <summary>Flurl reports a cancelled call as a <see cref="FlurlHttpException"/>: give it back as the cancellation
    /// it is, so callers stop the prompt and record a cancellation, not a failure.</summary>
    private static OperationCanceledException Cancelled(Exception ex, CancellationToken cancellationToken) =>
        ex as OperationCanceledException ?? new OperationCanceledException(ex.Message, ex, cancellationToken);

    private static async Task TryAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call(cancellationToken).ConfigureAwait(false);
        }
        catch (ComfyUiException)
        {
            // Best effort: the job fails with the refusal either way.
        }
    }

    private void Expect(int status, int expected, string what, string body)
    {
        if (status != expected)
        {
            throw new ComfyUiException($"ComfyUI at {Instance.Display} answered {status} to {what}: {ComfyUiText.OneLine(body, 200)}");
        }
    }

    private JsonDocument Parse(string text, string what)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw new ComfyUiException($"ComfyUI at {Instance.Display} answered {what} with something that is not JSON");
        }
    }

    public void Dispose() => _http.Dispose();
}
