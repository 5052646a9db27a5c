using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace VideoAkka.Fakes;

/// <summary>Responses with aiohttp's headers: JSON as "application/json; charset=utf-8", empty bodies as
/// application/octet-stream with Content-Length 0, and the plain-text 500 of an unhandled exception.</summary>
internal static class HttpReplies
{
    public static Task JsonAsync(HttpContext ctx, JsonNode body, int status = 200) =>
        WriteAsync(ctx, status, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(body.ToJsonString()));

    public static Task EmptyAsync(HttpContext ctx, int status = 200) =>
        WriteAsync(ctx, status, "application/octet-stream", []);

    /// <summary>What aiohttp answers when a handler throws (a body that is not JSON, for instance).</summary>
    public static Task ServerErrorAsync(HttpContext ctx) =>
        WriteAsync(ctx, 500, "text/plain; charset=utf-8", "500 Internal Server Error\n\nServer got itself in trouble"u8.ToArray());

    public static async Task<string> ReadTextAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The body as JSON, or null when it is empty or not JSON (aiohttp's request.json() would raise).</summary>
    public static async Task<JsonElement?> ReadJsonAsync(HttpContext ctx)
    {
        var text = await ReadTextAsync(ctx).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Python's str() of a JSON value: how server.py turns a client's prompt_id into the id it uses.</summary>
    public static string PythonStr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        _ => value.GetRawText(),
    };

    private static async Task WriteAsync(HttpContext ctx, int status, string contentType, byte[] body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
    }
}
