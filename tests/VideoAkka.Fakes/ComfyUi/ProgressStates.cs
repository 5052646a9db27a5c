using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>The <c>progress_state</c> frames of one run: every started node with its state, growing as nodes
/// start (comfy_execution/progress.py WebUIProgressHandler).</summary>
internal sealed class ProgressStates(string promptId)
{
    private readonly List<(string Id, double Value, double Max, string State)> _nodes = [];

    public JsonObject Running(string nodeId) => Set(nodeId, 0, 1, "running");

    public JsonObject Step(string nodeId, int value, int max) => Set(nodeId, value, max, "running");

    public JsonObject Finished(string nodeId)
    {
        var max = _nodes.FirstOrDefault(n => n.Id == nodeId).Max;
        return Set(nodeId, max > 0 ? max : 1, max > 0 ? max : 1, "finished");
    }

    private JsonObject Set(string nodeId, double value, double max, string state)
    {
        var index = _nodes.FindIndex(n => n.Id == nodeId);
        if (index < 0)
        {
            _nodes.Add((nodeId, value, max, state));
        }
        else
        {
            _nodes[index] = (nodeId, value, max, state);
        }
        var nodes = new JsonObject();
        foreach (var (id, v, m, s) in _nodes)
        {
            nodes[id] = new JsonObject
            {
                ["value"] = v,
                ["max"] = m,
                ["state"] = s,
                ["node_id"] = id,
                ["prompt_id"] = promptId,
                ["display_node_id"] = id,
                ["parent_node_id"] = null,
                ["real_node_id"] = id,
            };
        }
        return ComfyMessages.Frame("progress_state", new JsonObject { ["prompt_id"] = promptId, ["nodes"] = nodes });
    }
}
