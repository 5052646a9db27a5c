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

    /// <summary>ComfyUI's events are small JSON; one that never ends must not grow without bound.</summary>
    private const int MaxTextBytes = 16 * 1024 * 1024;
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
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw ex as OperationCanceledException ?? new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The next text message; null when <paramref name="deadline"/> passes first (the receive stays pending for
    /// the next call). Throws <see cref="WebSocketException"/> when the socket drops or closes.</summary>
    public async Task<string?> NextTextAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            _pending ??= _socket.ReceiveAsync(new ArraySegment<byte>(_buffer), cancellationToken);
            if (!_pending.IsCompleted)
            {
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var done = await Task.WhenAny(_pending, Task.Delay(left, wait.Token)).ConfigureAwait(false);
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
            if (result.MessageType != WebSocketMessageType.Text)
            {
                continue; // binary frames (previews, progress text, whole images) are skipped, never buffered
            }
            if (_message.Length + result.Count > MaxTextBytes)
            {
                throw new WebSocketException(WebSocketError.InvalidMessageType, $"ComfyUI sent a text message over {MaxTextBytes} bytes");
            }
            _message.Write(_buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }
            var text = Encoding.UTF8.GetString(_message.GetBuffer(), 0, (int)_message.Length);
            _message.SetLength(0);
            return text;
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
