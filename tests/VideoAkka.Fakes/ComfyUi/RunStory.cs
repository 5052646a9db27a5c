using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>What one run has told its client so far, and the history entry that follows from it: the status
/// messages (start, cached, terminal event), the outputs and the meta of the nodes that wrote them.</summary>
internal sealed class RunStory(PromptRun run, FakeServerState state)
{
    private readonly JsonArray _messages = [];
    private readonly JsonObject _outputs = [];
    private readonly JsonObject _meta = [];
    private readonly List<string> _executed = [];

    /// <summary>Sends an execution event to the prompt's client and keeps it for the history.</summary>
    public void Record(string name, JsonObject data)
    {
        _messages.Add(new JsonArray(name, data.DeepClone()));
        state.SendToClient(run, ComfyMessages.Frame(name, data));
    }

    public void Executed(GraphNode node, JsonObject ui)
    {
        _outputs[node.Id] = ui.DeepClone();
        _meta[node.Id] = new JsonObject
        {
            ["node_id"] = node.Id,
            ["display_node"] = node.Id,
            ["parent_node"] = null,
            ["real_node_id"] = node.Id,
        };
        state.SendToClient(run, ComfyMessages.Executed(node.Id, ui, run.PromptId));
    }

    public void Done(string nodeId) => _executed.Add(nodeId);

    public JsonObject Succeeded()
    {
        Record("execution_success", ComfyMessages.PromptEvent(run.PromptId));
        return Entry("success", completed: true);
    }

    public JsonObject Failed(GraphNode node, string exceptionType, string message)
    {
        Record("execution_error", ComfyMessages.Error(run.PromptId, node, _executed, exceptionType, message, run.Graph));
        return Entry("error", completed: false);
    }

    /// <summary>execution.py adds this one with broadcast=True: without a client_id every socket gets it.</summary>
    public JsonObject Interrupted(GraphNode node)
    {
        var data = ComfyMessages.Interrupted(run.PromptId, node, _executed);
        _messages.Add(new JsonArray("execution_interrupted", data.DeepClone()));
        state.SendProgress(run, ComfyMessages.Frame("execution_interrupted", data));
        return Entry("error", completed: false);
    }

    private JsonObject Entry(string statusStr, bool completed) => new()
    {
        ["prompt"] = run.QueueItem(),
        ["outputs"] = _outputs.DeepClone(),
        ["status"] = new JsonObject
        {
            ["status_str"] = statusStr,
            ["completed"] = completed,
            ["messages"] = _messages.DeepClone(),
        },
        ["meta"] = _meta.DeepClone(),
    };
}
