using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>The WebSocket frames, field for field as recorded from ComfyUI 0.3.64.</summary>
internal static class ComfyMessages
{
    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static JsonObject Frame(string type, JsonObject data) => new() { ["type"] = type, ["data"] = data };

    /// <summary>The first frame on a socket carries the sid; the broadcasts after it do not.</summary>
    public static JsonObject Status(int queueRemaining, string? sid = null)
    {
        var data = new JsonObject
        {
            ["status"] = new JsonObject { ["exec_info"] = new JsonObject { ["queue_remaining"] = queueRemaining } },
        };
        if (sid is not null)
        {
            data["sid"] = sid;
        }
        return Frame("status", data);
    }

    public static JsonObject Executing(string nodeId, string promptId) =>
        Frame("executing", new JsonObject { ["node"] = nodeId, ["display_node"] = nodeId, ["prompt_id"] = promptId });

    /// <summary>The final frame of every run, sent after the history entry is stored.</summary>
    public static JsonObject ExecutingDone(string promptId) =>
        Frame("executing", new JsonObject { ["node"] = null, ["prompt_id"] = promptId });

    /// <summary>What a client reconnecting during its prompt's run gets: the node only.</summary>
    public static JsonObject ExecutingNodeOnly(string nodeId) => Frame("executing", new JsonObject { ["node"] = nodeId });

    public static JsonObject Executed(string nodeId, JsonObject output, string promptId) => Frame("executed", new JsonObject
    {
        ["node"] = nodeId,
        ["display_node"] = nodeId,
        ["output"] = output,
        ["prompt_id"] = promptId,
    });

    public static JsonObject Progress(int value, int max, string promptId, string nodeId) => Frame("progress", new JsonObject
    {
        ["value"] = value,
        ["max"] = max,
        ["prompt_id"] = promptId,
        ["node"] = nodeId,
    });

    public static JsonObject FeatureFlags() => Frame("feature_flags", Features());

    public static JsonObject Features() => new() { ["supports_preview_metadata"] = true, ["max_upload_size"] = 104857600 };

    /// <summary>execution_start, execution_cached and execution_success carry only the prompt id and a timestamp
    /// (plus the cached node ids); these data objects also go into the history's status messages.</summary>
    public static JsonObject PromptEvent(string promptId) => new() { ["prompt_id"] = promptId, ["timestamp"] = Now() };

    public static JsonObject Cached(string promptId) =>
        new() { ["nodes"] = new JsonArray(), ["prompt_id"] = promptId, ["timestamp"] = Now() };

    public static JsonObject Interrupted(string promptId, GraphNode node, IEnumerable<string> executed) => new()
    {
        ["prompt_id"] = promptId,
        ["node_id"] = node.Id,
        ["node_type"] = node.ClassType,
        ["executed"] = new JsonArray([.. executed.Select(id => (JsonNode)id)]),
        ["timestamp"] = Now(),
    };

    public static JsonObject Error(
        string promptId, GraphNode node, IEnumerable<string> executed, string exceptionType, string message, FakeGraph graph) => new()
    {
        ["prompt_id"] = promptId,
        ["node_id"] = node.Id,
        ["node_type"] = node.ClassType,
        ["executed"] = new JsonArray([.. executed.Select(id => (JsonNode)id)]),
        ["exception_message"] = message,
        ["exception_type"] = exceptionType,
        ["traceback"] = new JsonArray(
            "  File \"/opt/ComfyUI/execution.py\", line 496, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(prompt_id, unique_id, obj, input_data_all, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n",
            "  File \"/opt/ComfyUI/execution.py\", line 277, in process_inputs\n    result = f(**inputs)\n",
            $"  File \"/opt/ComfyUI/nodes.py\", line 1525, in {node.ClassType}\n    raise {exceptionType}(msg)\n"),
        ["current_inputs"] = CurrentInputs(node),
        // Recorded: every node id of the prompt, those not yet run included.
        ["current_outputs"] = new JsonArray([.. graph.Nodes.Select(n => (JsonNode)n.Id)]),
        ["timestamp"] = Now(),
    };

    /// <summary>Each literal input as a one-element list of its Python-formatted value.</summary>
    private static JsonObject CurrentInputs(GraphNode node)
    {
        var inputs = new JsonObject();
        if (node.Inputs.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return inputs;
        }
        foreach (var input in node.Inputs.EnumerateObject().Where(i => i.Value.ValueKind != System.Text.Json.JsonValueKind.Array))
        {
            inputs[input.Name] = new JsonArray(input.Value.ValueKind == System.Text.Json.JsonValueKind.String
                ? input.Value.GetString()
                : input.Value.GetRawText());
        }
        return inputs;
    }
}
