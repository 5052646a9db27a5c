using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// Submits one prompt and follows it to its end. The WebSocket (/ws?clientId=…) is opened before the POST, so no
/// event is missed; ComfyUI sends this client's events only to it, and <c>executing</c> with <c>node: null</c> and our
/// prompt id ends every outcome (success, error, interrupt), after the history entry is written. The socket can drop:
/// then the history is polled while the socket is reconnected with backoff, and a prompt that ComfyUI no longer holds
/// anywhere (a restart loses its queue) is reported as lost, to be run again elsewhere.
/// </summary>
public static class PromptFollower
{
    /// <summary>With the socket quiet this long, the history is read once anyway: a lost event never stalls a prompt.</summary>
    private static readonly TimeSpan QuietCheck = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);

    /// <param name="started">Called when ComfyUI starts running the prompt (not when it queues it).</param>
    public static async Task<ComfyUiHistoryEntry> RunAsync(
        ComfyUiClient client, JsonObject graph, string promptId, IProgress<double> progress, Action started, CancellationToken cancellationToken)
    {
        var clientId = "videoakka-" + promptId;
        var socket = await ConnectAsync(client, clientId, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.SubmitAsync(graph, promptId, clientId, cancellationToken).ConfigureAwait(false);
            var reconnectDelay = TimeSpan.FromMilliseconds(250);
            while (true)
            {
                if (socket is not null)
                {
                    var heard = await ListenAsync(socket, promptId, progress, started, cancellationToken).ConfigureAwait(false);
                    if (heard == Heard.End)
                    {
                        return await FinishedEntryAsync(client, promptId, cancellationToken).ConfigureAwait(false);
                    }
                    if (heard == Heard.Dropped)
                    {
                        socket.Dispose();
                        socket = null;
                    }
                }
                // The socket is quiet or gone: ask the history (it throws "unavailable" when the instance is down).
                if (await client.HistoryAsync(promptId, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    return entry;
                }
                if (socket is null)
                {
                    if (!await client.IsQueuedAsync(promptId, cancellationToken).ConfigureAwait(false)
                        && await client.HistoryAsync(promptId, cancellationToken).ConfigureAwait(false) is null)
                    {
                        throw new ComfyUiUnavailableException(client.Instance, $"prompt {promptId} is in neither its queue nor its history (the server restarted?)");
                    }
                    await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                    socket = await TryConnectAsync(client, clientId, cancellationToken).ConfigureAwait(false);
                    if (socket is null)
                    {
                        await Task.Delay(reconnectDelay, cancellationToken).ConfigureAwait(false);
                        reconnectDelay = TimeSpan.FromTicks(Math.Min(reconnectDelay.Ticks * 2, MaxReconnectDelay.Ticks));
                    }
                    else
                    {
                        reconnectDelay = TimeSpan.FromMilliseconds(250);
                    }
                }
            }
        }
        finally
        {
            socket?.Dispose();
        }
    }

    private enum Heard
    {
        End,
        Quiet,
        Dropped,
    }

    /// <summary>Reads events until our prompt ends, the socket has been quiet for a while, or it drops.</summary>
    private static async Task<Heard> ListenAsync(ClientWebSocket socket, string promptId, IProgress<double> progress, Action started, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(QuietCheck);
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, quiet.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A receive cancelled by its timer aborts the socket: reconnect after the history check.
                return socket.State == WebSocketState.Open ? Heard.Quiet : Heard.Dropped;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException)
            {
                return Heard.Dropped;
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return Heard.Dropped;
            }
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }
            var isText = result.MessageType == WebSocketMessageType.Text;
            var text = isText ? Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length) : null;
            message.SetLength(0);
            if (text is null)
            {
                continue; // binary frames: previews and progress text, not needed
            }
            switch (ComfyUiEvents.Parse(text))
            {
                case ExecutionStarted s when s.PromptId == promptId:
                    started();
                    break;
                case NodeProgress p when p.PromptId == promptId && p.Max > 0:
                    progress.Report(Math.Clamp(p.Value / p.Max, 0, 1));
                    break;
                case NodeExecuting { Node: null } e when e.PromptId == promptId:
                    return Heard.End;
            }
        }
    }

    /// <summary>The history entry is written before the final event, but read it a few times in case a proxy
    /// reorders.</summary>
    private static async Task<ComfyUiHistoryEntry> FinishedEntryAsync(ComfyUiClient client, string promptId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await client.HistoryAsync(promptId, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                return entry;
            }
            if (attempt == 10)
            {
                throw new ComfyUiException($"ComfyUI at {client.Instance.Display} ended prompt {promptId} but has no history entry for it");
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<ClientWebSocket> ConnectAsync(ComfyUiClient client, string clientId, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(client.SocketUrl(clientId), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (Exception ex) when (ComfyUiClient.Unreachable(ex, cancellationToken) is { } reason)
        {
            socket.Dispose();
            throw new ComfyUiUnavailableException(client.Instance, $"WebSocket /ws failed: {reason}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<ClientWebSocket?> TryConnectAsync(ComfyUiClient client, string clientId, CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectAsync(client, clientId, cancellationToken).ConfigureAwait(false);
        }
        catch (ComfyUiUnavailableException)
        {
            return null; // the history poll decides whether the instance is gone
        }
    }
}
