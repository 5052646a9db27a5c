using System.Text.Json;

namespace VideoAkka.Fakes;

/// <summary>One node of an API-format workflow.</summary>
internal sealed record GraphNode(string Id, string ClassType, JsonElement Inputs)
{
    /// <summary>A literal string input, or null when it is absent, a link or not a string.</summary>
    public string? StringInput(string name) =>
        Inputs.ValueKind == JsonValueKind.Object && Inputs.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    public double? NumberInput(string name) =>
        Inputs.ValueKind == JsonValueKind.Object && Inputs.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : null;

    /// <summary>The node ids this node's inputs link to: a link is a 2-element array [string id, int slot].</summary>
    public IEnumerable<string> LinkedIds()
    {
        if (Inputs.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }
        foreach (var input in Inputs.EnumerateObject())
        {
            if (input.Value is { ValueKind: JsonValueKind.Array } link && link.GetArrayLength() == 2
                && link[0].ValueKind == JsonValueKind.String && link[1].ValueKind == JsonValueKind.Number)
            {
                yield return link[0].GetString()!;
            }
        }
    }
}

/// <summary>A workflow whose nodes all have a known class_type (checked by <see cref="PromptValidator"/>).</summary>
internal sealed class FakeGraph
{
    private readonly Dictionary<string, GraphNode> _byId;

    public FakeGraph(IReadOnlyList<GraphNode> nodes)
    {
        Nodes = nodes;
        _byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
    }

    /// <summary>In the order the JSON listed them.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    public GraphNode? Find(string id) => _byId.GetValueOrDefault(id);

    public IEnumerable<GraphNode> Outputs => Nodes.Where(n => NodeCatalog.IsOutput(n.ClassType));

    /// <summary>The node and everything it depends on (links to missing nodes are skipped).</summary>
    public IReadOnlySet<string> Closure(string id)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([id]);
        while (stack.TryPop(out var current))
        {
            if (_byId.TryGetValue(current, out var node) && seen.Add(current))
            {
                foreach (var linked in node.LinkedIds())
                {
                    stack.Push(linked);
                }
            }
        }
        return seen;
    }

    /// <summary>The nodes the outputs need, each after the nodes it links to (as the real executor runs them:
    /// in dependency order, unneeded nodes skipped). Cycles are cut rather than looped on.</summary>
    public IReadOnlyList<GraphNode> ExecutionOrder(IEnumerable<string> outputIds)
    {
        var order = new List<GraphNode>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in outputIds)
        {
            Visit(id);
        }
        return order;

        void Visit(string id)
        {
            if (done.Contains(id) || !visiting.Add(id) || !_byId.TryGetValue(id, out var node))
            {
                return;
            }
            foreach (var linked in node.LinkedIds())
            {
                Visit(linked);
            }
            visiting.Remove(id);
            done.Add(id);
            order.Add(node);
        }
    }
}
