using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace VideoAkka.Fakes;

/// <summary>One client WebSocket. Frames are queued without blocking (the fake queues them while holding its
/// state lock, which keeps every socket's frames in the order the state changed) and one loop sends them, since
/// a WebSocket allows one send at a time.</summary>
internal sealed class SocketConnection(string sid, WebSocket socket)
{
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    public string Sid { get; } = sid;

    public void Enqueue(JsonObject frame) => _outbox.Writer.TryWrite(Encoding.UTF8.GetBytes(frame.ToJsonString()));

    public async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the fake was killed: undelivered frames are lost, as with the real server.
        }
    }

    /// <summary>Reads until the client closes; answers a first <c>feature_flags</c> message as server.py does.</summary>
    public async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var first = true;
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).ConfigureAwait(false);
                    return;
                }
                if (first && result.MessageType == WebSocketMessageType.Text && IsFeatureFlags(message.ToArray()))
                {
                    Enqueue(ComfyMessages.FeatureFlags());
                }
                first = false;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted by the client or by StopAsync.
        }
    }

    public void Complete() => _outbox.Writer.TryComplete();

    /// <summary>A killed server does not say goodbye: the TCP connection just drops.</summary>
    public void Abort()
    {
        Complete();
        socket.Abort();
    }

    private static bool IsFeatureFlags(byte[] utf8)
    {
        try
        {
            return JsonNode.Parse(utf8) is JsonObject o && o["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                && (string?)o["type"] == "feature_flags";
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
