using System.Net.WebSockets;
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

    /// <summary>Polls that may fail in a row (a proxy's single 502) before the instance counts as gone.</summary>
    private const int PollFailuresTolerated = 3;

    /// <param name="started">Called when ComfyUI starts running the prompt (not when it queues it).</param>
    public static async Task<ComfyUiHistoryEntry> RunAsync(
        ComfyUiClient client, JsonObject graph, string promptId, IProgress<double> progress, Action started, CancellationToken cancellationToken)
    {
        var clientId = "videoakka-" + promptId;
        var socket = await PromptSocket.ConnectAsync(client, clientId, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.SubmitAsync(graph, promptId, clientId, cancellationToken).ConfigureAwait(false);
            var reconnectDelay = TimeSpan.FromMilliseconds(250);
            var pollFailures = 0;
            var justReconnected = false;
            while (true)
            {
                // Right after a reconnect the history is read first: the end may have come while no socket listened.
                if (socket is not null && !justReconnected)
                {
                    try
                    {
                        if (await ListenAsync(socket, promptId, progress, started, cancellationToken).ConfigureAwait(false))
                        {
                            return await FinishedEntryAsync(client, promptId, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (Exception ex) when (ex is WebSocketException or IOException)
                    {
                        socket.Dispose();
                        socket = null;
                    }
                }
                // The socket is quiet or gone: ask the history, and whether ComfyUI still holds the prompt at all (a
                // restarted server answers on the same address with an empty queue and history).
                var held = true;
                try
                {
                    if (await client.HistoryAsync(promptId, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        return entry;
                    }
                    if (!await client.IsQueuedAsync(promptId, cancellationToken).ConfigureAwait(false))
                    {
                        // It may have finished between the two reads.
                        if (await client.HistoryAsync(promptId, cancellationToken).ConfigureAwait(false) is { } late)
                        {
                            return late;
                        }
                        held = false;
                    }
                    pollFailures = 0;
                }
                catch (ComfyUiUnavailableException) when (++pollFailures < PollFailuresTolerated)
                {
                    // One failed poll is not yet a lost instance: try again after the pause below.
                }
                if (!held)
                {
                    throw new ComfyUiUnavailableException(client.Instance, $"prompt {promptId} is in neither its queue nor its history (the server restarted?)");
                }
                justReconnected = false;
                if (socket is null)
                {
                    await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                    socket = await TryConnectAsync(client, clientId, cancellationToken).ConfigureAwait(false);
                    justReconnected = socket is not null;
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

    /// <summary>Reads events until our prompt ends (true) or <see cref="QuietCheck"/> has passed without it (false):
    /// other clients' broadcasts must not keep the history and queue from being checked.</summary>
    private static async Task<bool> ListenAsync(PromptSocket socket, string promptId, IProgress<double> progress, Action started, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + QuietCheck;
        while (await socket.NextTextAsync(deadline, cancellationToken).ConfigureAwait(false) is { } text)
        {
            switch (ComfyUiEvents.Parse(text))
            {
                case ExecutionStarted s when s.PromptId == promptId:
                    started();
                    break;
                case NodeProgress p when p.PromptId == promptId && p.Max > 0:
                    progress.Report(Math.Clamp(p.Value / p.Max, 0, 1));
                    break;
                case NodeExecuting { Node: null } e when e.PromptId == promptId:
                    return true;
            }
        }
        return false;
    }

    /// <summary>The history entry is written before the final event, but read it a few times in case a proxy
    /// reorders.</summary>
    private static async Task<ComfyUiHistoryEntry> FinishedEntryAsync(ComfyUiClient client, string promptId, CancellationToken cancellationToken)
    {
        var failures = 0;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (await client.HistoryAsync(promptId, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    return entry;
                }
            }
            catch (ComfyUiUnavailableException) when (++failures < PollFailuresTolerated)
            {
                // The prompt is done: a proxy's single 502 must not make it run again elsewhere.
            }
            if (attempt == 10)
            {
                throw new ComfyUiException($"ComfyUI at {client.Instance.Display} ended prompt {promptId} but has no history entry for it");
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<PromptSocket?> TryConnectAsync(ComfyUiClient client, string clientId, CancellationToken cancellationToken)
    {
        try
        {
            return await PromptSocket.ConnectAsync(client, clientId, cancellationToken).ConfigureAwait(false);
        }
        catch (ComfyUiUnavailableException)
        {
            return null; // the history poll decides whether the instance is gone
        }
    }
}
