using System.Text.Json;
using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>What POST /prompt decided.</summary>
internal abstract record Verdict;

/// <summary>Refused: <paramref name="Body"/> null means the real server's plain-text 500.</summary>
internal sealed record Refused(int Status, JsonObject? Body) : Verdict;

/// <summary>Accepted with the outputs that will run; <paramref name="NodeErrors"/> holds the dropped ones' errors.</summary>
internal sealed record Valid(FakeGraph Graph, IReadOnlyList<string> OutputIds, JsonObject NodeErrors) : Verdict;

/// <summary>A validation error on one node.</summary>
internal sealed record NodeFailure(string NodeId, JsonObject Error);

/// <summary>The checks of execution.py validate_prompt that a fake can make without real node definitions: the
/// structure first (class types, output nodes), then the inputs a client gets wrong in practice (LoadImage files,
/// links to missing nodes), then the outcome per output node.</summary>
internal static class PromptValidator
{
    public static Verdict Structure(JsonElement prompt, JsonElement? partialTargets)
    {
        if (prompt.ValueKind != JsonValueKind.Object)
        {
            return new Refused(500, null); // the real one iterates it as a dict and crashes
        }
        var targets = partialTargets is { ValueKind: JsonValueKind.Array } t
            ? t.EnumerateArray().Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal)
            : null;
        var nodes = new List<GraphNode>();
        foreach (var property in prompt.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                return new Refused(500, null);
            }
            if (!property.Value.TryGetProperty("class_type", out var classType))
            {
                return new Refused(400, ComfyErrors.MissingClassType(property.Name));
            }
            var name = classType.ValueKind == JsonValueKind.String ? classType.GetString()! : classType.GetRawText();
            if (!NodeCatalog.IsKnown(name))
            {
                return new Refused(400, ComfyErrors.UnknownClass(name, property.Name));
            }
            var inputs = property.Value.TryGetProperty("inputs", out var i) ? i : default;
            nodes.Add(new GraphNode(property.Name, name, inputs));
        }
        var graph = new FakeGraph(nodes);
        var outputs = graph.Outputs.Select(n => n.Id).Where(id => targets is null || targets.Contains(id)).ToList();
        return outputs.Count == 0
            ? new Refused(400, ComfyErrors.NoOutputs())
            : new Valid(graph, outputs, new JsonObject());
    }

    /// <summary>Errors in the inputs of the nodes the outputs need.</summary>
    public static IEnumerable<NodeFailure> CheckInputs(FakeGraph graph, IReadOnlyList<string> outputIds, DataFolders folders)
    {
        var needed = outputIds.SelectMany(graph.Closure).ToHashSet(StringComparer.Ordinal);
        foreach (var node in graph.Nodes.Where(n => needed.Contains(n.Id)))
        {
            foreach (var missing in node.LinkedIds().Where(id => graph.Find(id) is null))
            {
                yield return new NodeFailure(node.Id, ComfyErrors.MissingLinkedNode(missing));
            }
            if (node.ClassType == "LoadImage" && node.StringInput("image") is { } image && !folders.AnnotatedFileExists(image))
            {
                yield return new NodeFailure(node.Id, ComfyErrors.InvalidImageFile(image));
            }
        }
    }

    /// <summary>The error a test asked for; on the first output node when it named no node of this graph.</summary>
    public static NodeFailure FromBehaviour(FakeGraph graph, IReadOnlyList<string> outputIds, FakeBehaviour.ValidationError wanted)
    {
        var nodeId = wanted.NodeId is { } id && graph.Find(id) is not null ? id : outputIds[0];
        return new NodeFailure(nodeId, ComfyErrors.InputError(wanted.ErrorType, wanted.Message, wanted.Details, wanted.InputName));
    }

    /// <summary>Outputs that depend on a failing node are dropped; with none left the prompt is refused.</summary>
    public static Verdict Settle(FakeGraph graph, IReadOnlyList<string> outputIds, IReadOnlyList<NodeFailure> failures)
    {
        if (failures.Count == 0)
        {
            return new Valid(graph, outputIds, new JsonObject());
        }
        var failing = failures.Select(f => f.NodeId).ToHashSet(StringComparer.Ordinal);
        var closures = outputIds.ToDictionary(o => o, graph.Closure, StringComparer.Ordinal);
        var good = outputIds.Where(o => !closures[o].Overlaps(failing)).ToList();
        var nodeErrors = new JsonObject();
        foreach (var group in failures.GroupBy(f => f.NodeId))
        {
            nodeErrors[group.Key] = new JsonObject
            {
                ["errors"] = new JsonArray([.. group.Select(f => (JsonNode)f.Error.DeepClone())]),
                ["dependent_outputs"] = new JsonArray([.. outputIds.Where(o => closures[o].Contains(group.Key)).Select(o => (JsonNode)o)]),
                ["class_type"] = graph.Find(group.Key)!.ClassType,
            };
        }
        if (good.Count > 0)
        {
            return new Valid(graph, good, nodeErrors);
        }
        // As in execution.py: the summary lists only the errors that sit on output nodes themselves.
        var details = string.Join('\n', failures
            .Where(f => outputIds.Contains(f.NodeId))
            .Select(f => $"{f.Error["message"]}: {f.Error["details"]}"));
        return new Refused(400, ComfyErrors.Body("prompt_outputs_failed_validation", "Prompt outputs failed validation", details, nodeErrors));
    }
}
