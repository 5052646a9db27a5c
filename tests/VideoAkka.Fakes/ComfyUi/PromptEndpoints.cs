using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace VideoAkka.Fakes;

/// <summary>POST /prompt and GET /prompt (server.py post_prompt / get_prompt).</summary>
internal sealed class PromptEndpoints(FakeServerState state, DataFolders folders, Recorder recorder, FakeComfyUiOptions options)
{
    public Task GetAsync(HttpContext ctx) => HttpReplies.JsonAsync(ctx, new JsonObject
    {
        ["exec_info"] = new JsonObject { ["queue_remaining"] = state.QueueRemaining },
    });

    public async Task PostAsync(HttpContext ctx)
    {
        if (await HttpReplies.ReadJsonAsync(ctx).ConfigureAwait(false) is not { ValueKind: JsonValueKind.Object } body
            || TakeNumber(body) is not { } number)
        {
            await HttpReplies.ServerErrorAsync(ctx).ConfigureAwait(false);
            return;
        }
        if (!body.TryGetProperty("prompt", out var prompt))
        {
            await HttpReplies.JsonAsync(ctx, ComfyErrors.NoPrompt(), 400).ConfigureAwait(false);
            return;
        }
        var promptId = body.TryGetProperty("prompt_id", out var id) ? HttpReplies.PythonStr(id) : Guid.NewGuid().ToString("D");
        var partial = body.TryGetProperty("partial_execution_targets", out var targets) ? targets : (JsonElement?)null;
        var shape = PromptValidator.Structure(prompt, partial);
        if (shape is Refused refused)
        {
            await ReplyAsync(ctx, refused).ConfigureAwait(false);
            return;
        }
        var structure = (Valid)shape;
        var clientId = body.TryGetProperty("client_id", out var client) && client.ValueKind == JsonValueKind.String ? client.GetString() : null;
        var submission = new FakeSubmission(promptId, clientId, prompt.Clone(), [.. structure.Graph.Nodes.Select(n => n.ClassType)])
        {
            Number = number,
        };
        var behaviour = options.Behaviour(submission);
        var failures = PromptValidator.CheckInputs(structure.Graph, structure.OutputIds, folders).ToList();
        if (behaviour is FakeBehaviour.ValidationError wanted)
        {
            failures.Add(PromptValidator.FromBehaviour(structure.Graph, structure.OutputIds, wanted));
        }
        var verdict = PromptValidator.Settle(structure.Graph, structure.OutputIds, failures);
        if (verdict is Refused invalid)
        {
            recorder.Rejected.Add(submission);
            await ReplyAsync(ctx, invalid).ConfigureAwait(false);
            return;
        }
        var valid = (Valid)verdict;
        recorder.Submissions.Add(submission);
        state.Enqueue(new PromptRun(submission, behaviour, valid, ExtraData(body), state.NextSequence(), state.KillToken));
        await HttpReplies.JsonAsync(ctx, new JsonObject
        {
            ["prompt_id"] = promptId,
            ["number"] = number,
            ["node_errors"] = valid.NodeErrors,
        }).ConfigureAwait(false);
    }

    /// <summary>An explicit "number" wins; otherwise the server's counter, negated for "front". Null: not a
    /// number, which makes the real server fail with a 500.</summary>
    private double? TakeNumber(JsonElement body)
    {
        if (!body.TryGetProperty("number", out var explicitNumber))
        {
            var front = body.TryGetProperty("front", out var f) && f.ValueKind == JsonValueKind.True;
            return state.TakeNumber(front);
        }
        return explicitNumber.ValueKind switch
        {
            JsonValueKind.Number => explicitNumber.GetDouble(),
            JsonValueKind.String when double.TryParse(explicitNumber.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    /// <summary>extra_data as posted, with the client_id copied in (that is where the real server keeps it).</summary>
    private static JsonObject ExtraData(JsonElement body)
    {
        var extra = body.TryGetProperty("extra_data", out var e) && e.ValueKind == JsonValueKind.Object
            ? (JsonObject)JsonNode.Parse(e.GetRawText())!
            : new JsonObject();
        if (body.TryGetProperty("client_id", out var client))
        {
            extra["client_id"] = JsonNode.Parse(client.GetRawText());
        }
        return extra;
    }

    private static Task ReplyAsync(HttpContext ctx, Refused refused) => refused.Body is { } json
        ? HttpReplies.JsonAsync(ctx, json, refused.Status)
        : HttpReplies.ServerErrorAsync(ctx);
}
