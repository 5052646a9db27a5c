using Microsoft.AspNetCore.Http;

namespace VideoAkka.Fakes;

/// <summary>GET /ws?clientId=X. Without a clientId the server makes up a 32-hex sid and announces it in the first
/// status frame.</summary>
internal sealed class SocketEndpoint(FakeServerState state)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            await HttpReplies.EmptyAsync(ctx, 400).ConfigureAwait(false);
            return;
        }
        var clientId = ctx.Request.Query["clientId"].ToString();
        var sid = clientId.Length > 0 ? clientId : Guid.NewGuid().ToString("N");
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new SocketConnection(sid, socket);
        if (!state.Attach(connection))
        {
            connection.Abort();
            return;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, state.KillToken);
        var sending = connection.SendLoopAsync(stop.Token);
        try
        {
            await connection.ReceiveLoopAsync(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            state.Detach(connection);
            connection.Complete();
            await sending.ConfigureAwait(false);
        }
    }
}
