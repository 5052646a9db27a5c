using System.Net.WebSockets;
using System.Text;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// One WebSocket to ComfyUI (/ws?clientId=…) and the receive waiting on it. A quiet spell is waited out beside the
/// pending receive, never by cancelling it: cancelling a ClientWebSocket receive aborts the socket, and every abort
/// and reconnect loses the events in between (and ComfyUI, closing the old socket late, can unregister the new one).
/// </summary>
internal sealed class PromptSocket : IDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly MemoryStream _message = new();
    private Task<WebSocketReceiveResult>? _pending;

    private PromptSocket(ClientWebSocket socket) => _socket = socket;

    /// <summary>Opens the socket within the client's request timeout: an instance that accepts the connection but
    /// never answers the handshake is unavailable, not a prompt that takes long.</summary>
    public static async Task<PromptSocket> ConnectAsync(ComfyUiClient client, string clientId, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(client.RequestTimeout);
        try
        {
            await socket.ConnectAsync(client.SocketUrl(clientId), timeout.Token).ConfigureAwait(false);
            return new PromptSocket(socket);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (timeout.IsCancellationRequested || ComfyUiClient.Unreachable(ex, cancellationToken) is not null))
        {
            socket.Dispose();
            var reason = timeout.IsCancellationRequested ? $"no answer within {client.RequestTimeout}" : ComfyUiClient.Unreachable(ex, cancellationToken);
            throw new ComfyUiUnavailableException(client.Instance, $"WebSocket /ws failed: {reason}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The next text message; null when <paramref name="quiet"/> passes without one (the receive stays
    /// pending for the next call). Throws <see cref="WebSocketException"/> when the socket drops or closes.</summary>
    public async Task<string?> NextTextAsync(TimeSpan quiet, CancellationToken cancellationToken)
    {
        while (true)
        {
            _pending ??= _socket.ReceiveAsync(new ArraySegment<byte>(_buffer), cancellationToken);
            if (!_pending.IsCompleted)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var done = await Task.WhenAny(_pending, Task.Delay(quiet, wait.Token)).ConfigureAwait(false);
                wait.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
                if (done != _pending)
                {
                    return null;
                }
            }
            var receive = _pending;
            _pending = null;
            var result = await receive.ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "ComfyUI closed the socket");
            }
            _message.Write(_buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }
            var text = result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(_message.GetBuffer(), 0, (int)_message.Length) : null;
            _message.SetLength(0);
            if (text is not null)
            {
                return text; // binary frames (previews, progress text) are skipped
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _message.Dispose();
        // A receive still pending ends with the socket; observe it so its exception is not left unobserved.
        _pending?.ContinueWith(t => t.Exception, TaskScheduler.Default);
    }
}
