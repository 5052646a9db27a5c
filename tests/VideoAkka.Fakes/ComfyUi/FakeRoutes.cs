using System.Text;
using Microsoft.AspNetCore.Http;

namespace VideoAkka.Fakes;

/// <summary>The route table. Every route answers at /X and at /api/X, as server.py registers each one twice.</summary>
internal sealed class FakeRoutes(
    PromptEndpoints prompts, QueueEndpoints queue, FileEndpoints files, InfoEndpoints info, SocketEndpoint sockets)
{
    public Task DispatchAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            path = path[4..];
        }
        var get = HttpMethods.IsGet(ctx.Request.Method);
        var post = HttpMethods.IsPost(ctx.Request.Method);
        var handler = (path, get, post) switch
        {
            ("/ws", true, _) => sockets.HandleAsync(ctx),
            ("/prompt", true, _) => prompts.GetAsync(ctx),
            ("/prompt", _, true) => prompts.PostAsync(ctx),
            ("/queue", true, _) => queue.GetQueueAsync(ctx),
            ("/queue", _, true) => queue.PostQueueAsync(ctx),
            ("/interrupt", _, true) => queue.InterruptAsync(ctx),
            ("/history", true, _) => queue.GetHistoryAsync(ctx),
            ("/history", _, true) => queue.PostHistoryAsync(ctx),
            (_, true, _) when path.StartsWith("/history/", StringComparison.Ordinal) => queue.GetHistoryAsync(ctx, path["/history/".Length..]),
            ("/view", true, _) => files.ViewAsync(ctx),
            ("/upload/image", _, true) => files.UploadAsync(ctx),
            ("/system_stats", true, _) => info.SystemStatsAsync(ctx),
            ("/object_info", true, _) => info.ObjectInfoAsync(ctx, null),
            (_, true, _) when path.StartsWith("/object_info/", StringComparison.Ordinal) => info.ObjectInfoAsync(ctx, path["/object_info/".Length..]),
            ("/features", true, _) => info.FeaturesAsync(ctx),
            ("/models", true, _) => info.ModelsAsync(ctx),
            ("/embeddings" or "/extensions", true, _) => info.EmptyListAsync(ctx),
            _ => null,
        };
        return handler ?? NotFoundAsync(ctx);
    }

    /// <summary>The origin-only middleware of server.py: a browser page on another host may not drive the server.</summary>
    public static bool ForeignOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        var schemeEnd = origin.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0 || !request.Host.HasValue)
        {
            return false;
        }
        var netloc = origin[(schemeEnd + 3)..].Split('/')[0].ToLowerInvariant();
        // As server.py: a side without an explicit port is compared by host name only.
        var hostDomain = netloc.Contains(':', StringComparison.Ordinal) ? request.Host.Value.ToLowerInvariant() : request.Host.Host.ToLowerInvariant();
        var originDomain = request.Host.Port is null ? netloc.Split(':')[0] : netloc;
        return hostDomain.Length > 0 && originDomain.Length > 0 && hostDomain != originDomain;
    }

    private static async Task NotFoundAsync(HttpContext ctx)
    {
        var body = Encoding.UTF8.GetBytes("404: Not Found");
        ctx.Response.StatusCode = 404;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
    }
}
