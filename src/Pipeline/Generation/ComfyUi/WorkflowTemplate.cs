using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// An API-format ComfyUI workflow (ComfyUI's "Export (API)": node id → {class_type, inputs}) and the node inputs that
/// receive each scene's values. Loaded and checked once at startup: a binding that names a node or input the file does
/// not have stops the start, naming the template and the binding, instead of failing the first job.
/// </summary>
public sealed class WorkflowTemplate
{
    private readonly JsonObject _graph;

    private WorkflowTemplate(string name, string file, JsonObject graph, ImmutableDictionary<WorkflowInput, ImmutableArray<(string Node, string Input)>> targets)
    {
        Name = name;
        File = file;
        _graph = graph;
        Targets = targets;
    }

    /// <summary>"image", "image2video", or "speech/NAME": also the model-affinity key of the scheduler.</summary>
    public string Name { get; }

    public string File { get; }

    public ImmutableDictionary<WorkflowInput, ImmutableArray<(string Node, string Input)>> Targets { get; }

    public bool Binds(WorkflowInput input) => Targets.ContainsKey(input);

    /// <param name="bindings">Binding key → "NODE.INPUT" strings (NODE: a node id, or a unique _meta.title).</param>
    /// <param name="required">Bindings this workflow cannot work without.</param>
    /// <param name="configPath">Where its settings are, for the messages: videoakka.comfyui.workflows.NAME unless given.</param>
    public static WorkflowTemplate Load(string name, string file, IReadOnlyDictionary<WorkflowInput, IReadOnlyList<string>> bindings, IEnumerable<WorkflowInput> required,
        string? configPath = null)
    {
        configPath ??= $"videoakka.comfyui.workflows.{name}";
        string Where(WorkflowInput input) => $"{configPath}.inputs.{input.ToConfigKey()}";

        if (!System.IO.File.Exists(file))
        {
            throw new ArgumentException($"ComfyUI workflow template \"{name}\": the file {file} does not exist ({configPath}.template)");
        }
        var graph = ParseGraph(name, file);
        var targets = ImmutableDictionary.CreateBuilder<WorkflowInput, ImmutableArray<(string, string)>>();
        foreach (var (input, specs) in bindings)
        {
            var resolved = ImmutableArray.CreateBuilder<(string, string)>();
            foreach (var spec in specs)
            {
                var dot = spec.LastIndexOf('.');
                if (dot <= 0 || dot == spec.Length - 1)
                {
                    throw new ArgumentException($"ComfyUI workflow template {file}: {Where(input)} = \"{spec}\" must be \"NODE.INPUT\" (a node id or title, a dot, an input name)");
                }
                var (nodeRef, inputName) = (spec[..dot], spec[(dot + 1)..]);
                var nodeId = FindNode(graph, nodeRef, file)
                    ?? throw new ArgumentException($"ComfyUI workflow template {file}: {Where(input)} = \"{spec}\" names node \"{nodeRef}\", which is not in the template (no node has that id or title)");
                var inputs = graph[nodeId]!["inputs"]!.AsObject();
                if (!inputs.ContainsKey(inputName))
                {
                    throw new ArgumentException($"ComfyUI workflow template {file}: {Where(input)} = \"{spec}\": node {nodeId} ({graph[nodeId]!["class_type"]}) has no input \"{inputName}\" (it has {string.Join(", ", inputs.Select(i => i.Key))})");
                }
                resolved.Add((nodeId, inputName));
            }
            if (resolved.Count > 0)
            {
                targets[input] = resolved.ToImmutable();
            }
        }
        foreach (var input in required)
        {
            if (!targets.ContainsKey(input))
            {
                throw new ArgumentException($"ComfyUI workflow template {file}: {Where(input)} must be set: the {name} workflow needs it");
            }
        }
        return new WorkflowTemplate(name, file, graph, targets.ToImmutable());
    }

    /// <summary>A copy of the graph with the bound inputs set; values keep the JSON kind ComfyUI expects (an fps
    /// that was an integer in the template stays an integer).</summary>
    public JsonObject Apply(IReadOnlyDictionary<WorkflowInput, object> values)
    {
        var graph = _graph.DeepClone().AsObject();
        foreach (var (input, value) in values)
        {
            if (!Targets.TryGetValue(input, out var targets))
            {
                continue;
            }
            foreach (var (node, name) in targets)
            {
                var inputs = graph[node]!["inputs"]!.AsObject();
                inputs[name] = value switch
                {
                    string text => JsonValue.Create(text),
                    long number => JsonValue.Create(number),
                    int number => JsonValue.Create(number),
                    double number when inputs[name] is JsonValue current && current.GetValueKind() == JsonValueKind.Number
                        && current.TryGetValue<long>(out _) && number == Math.Floor(number) => JsonValue.Create((long)number),
                    double number => JsonValue.Create(number),
                    _ => throw new ArgumentException($"unsupported value for {input}: {value.GetType().Name}"),
                };
            }
        }
        return graph;
    }

    private static JsonObject ParseGraph(string name, string file)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(System.IO.File.ReadAllText(file));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"ComfyUI workflow template {file} ({name}) is not valid JSON: {ex.Message}");
        }
        if (root is JsonObject wrapped && wrapped["prompt"] is JsonObject prompt && wrapped.Count == 1)
        {
            root = prompt; // a saved POST /prompt body
        }
        if (root is not JsonObject graph || graph.Count == 0)
        {
            throw new ArgumentException($"ComfyUI workflow template {file} ({name}) must be a JSON object of nodes (API format)");
        }
        if (graph.ContainsKey("nodes") && graph.ContainsKey("links"))
        {
            throw new ArgumentException($"ComfyUI workflow template {file} ({name}) is in ComfyUI's UI format; export it with Workflow → Export (API)");
        }
        foreach (var (id, node) in graph)
        {
            if (node is not JsonObject n || n["class_type"] is not JsonValue classType || classType.GetValueKind() != JsonValueKind.String
                || n["inputs"] is not JsonObject)
            {
                throw new ArgumentException($"ComfyUI workflow template {file} ({name}): node {id} must be an object with a class_type string and an inputs object (API format)");
            }
        }
        return graph;
    }

    private static string? FindNode(JsonObject graph, string reference, string file)
    {
        if (graph.ContainsKey(reference))
        {
            return reference;
        }
        var titled = graph.Where(n => n.Value?["_meta"]?["title"] is JsonValue title && title.GetValueKind() == JsonValueKind.String
            && title.GetValue<string>() == reference).Select(n => n.Key).ToList();
        return titled.Count switch
        {
            1 => titled[0],
            0 => null,
            _ => throw new ArgumentException($"ComfyUI workflow template {file}: the title \"{reference}\" is shared by nodes {string.Join(", ", titled)}: use a node id"),
        };
    }
}
