using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace VideoAkka.Fakes;

/// <summary>GET/POST /queue, POST /interrupt and the history routes.</summary>
internal sealed class QueueEndpoints(FakeServerState state, Recorder recorder)
{
    public Task GetQueueAsync(HttpContext ctx) => HttpReplies.JsonAsync(ctx, state.QueueJson());

    /// <summary>{"delete": [ids]} removes pending prompts, {"clear": true} all of them; running ones go on.</summary>
    public async Task PostQueueAsync(HttpContext ctx)
    {
        if (await HttpReplies.ReadJsonAsync(ctx).ConfigureAwait(false) is not { ValueKind: JsonValueKind.Object } body)
        {
            await HttpReplies.ServerErrorAsync(ctx).ConfigureAwait(false);
            return;
        }
        if (body.TryGetProperty("clear", out var clear) && Truthy(clear))
        {
            state.ClearPending();
        }
        if (body.TryGetProperty("delete", out var delete) && delete.ValueKind == JsonValueKind.Array)
        {
            var ids = delete.EnumerateArray().Select(HttpReplies.PythonStr).ToList();
            ids.ForEach(recorder.Deleted.Add);
            state.DeletePending(ids);
        }
        await HttpReplies.EmptyAsync(ctx).ConfigureAwait(false);
    }

    /// <summary>{"prompt_id": id} interrupts that prompt if it is running (else nothing); an empty, non-JSON or
    /// id-less body interrupts whatever runs. Always 200 with an empty body.</summary>
    public async Task InterruptAsync(HttpContext ctx)
    {
        var body = await HttpReplies.ReadJsonAsync(ctx).ConfigureAwait(false);
        if (body is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("prompt_id", out var id) && Truthy(id))
        {
            var promptId = HttpReplies.PythonStr(id);
            recorder.Interrupts.Add(promptId);
            if (id.ValueKind == JsonValueKind.String)
            {
                state.Interrupt(promptId);
            }
        }
        else
        {
            recorder.Interrupts.Add(null);
            state.Interrupt(null);
        }
        await HttpReplies.EmptyAsync(ctx).ConfigureAwait(false);
    }

    public Task GetHistoryAsync(HttpContext ctx, string promptId) => HttpReplies.JsonAsync(ctx, state.History(promptId));

    public Task GetHistoryAsync(HttpContext ctx)
    {
        var query = ctx.Request.Query;
        int? maxItems = null;
        var offset = -1;
        try
        {
            if (query.TryGetValue("max_items", out var max))
            {
                maxItems = int.Parse(max.ToString(), CultureInfo.InvariantCulture);
            }
            if (query.TryGetValue("offset", out var off))
            {
                offset = int.Parse(off.ToString(), CultureInfo.InvariantCulture);
            }
        }
        catch (FormatException)
        {
            return HttpReplies.ServerErrorAsync(ctx); // int() raising in the handler
        }
        return HttpReplies.JsonAsync(ctx, state.History(maxItems, offset));
    }

    public async Task PostHistoryAsync(HttpContext ctx)
    {
        if (await HttpReplies.ReadJsonAsync(ctx).ConfigureAwait(false) is not { ValueKind: JsonValueKind.Object } body)
        {
            await HttpReplies.ServerErrorAsync(ctx).ConfigureAwait(false);
            return;
        }
        var clear = body.TryGetProperty("clear", out var c) && Truthy(c);
        var delete = body.TryGetProperty("delete", out var d) && d.ValueKind == JsonValueKind.Array
            ? d.EnumerateArray().Select(HttpReplies.PythonStr).ToList()
            : [];
        state.EditHistory(clear, delete);
        await HttpReplies.EmptyAsync(ctx).ConfigureAwait(false);
    }

    /// <summary>Python truthiness of a JSON value.</summary>
    private static bool Truthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetDouble() != 0,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(),
        _ => false,
    };
}
