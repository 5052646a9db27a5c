using System.Text.Json;

namespace VideoAkka.Fakes;

/// <summary>One prompt posted to the fake (accepted or, in <see cref="FakeComfyUi.Rejected"/>, refused).</summary>
/// <param name="Graph">The "prompt" object as posted (a clone, safe to keep).</param>
/// <param name="ClassTypes">The class_type of every node, in the graph's order.</param>
public sealed record FakeSubmission(string PromptId, string? ClientId, JsonElement Graph, IReadOnlyList<string> ClassTypes)
{
    /// <summary>The queue number the server gave it (the <c>number</c> of the POST answer).</summary>
    public double Number { get; init; }

    /// <summary>Every string input of every node joined by newlines, so that a behaviour can pick a prompt by its
    /// text ("EXPLODE", "HANG") without knowing the workflow's shape.</summary>
    public string Text => string.Join('\n', StringInputs(Graph));

    private static IEnumerable<string> StringInputs(JsonElement graph)
    {
        if (graph.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }
        foreach (var node in graph.EnumerateObject())
        {
            if (node.Value.ValueKind != JsonValueKind.Object
                || !node.Value.TryGetProperty("inputs", out var inputs)
                || inputs.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            foreach (var input in inputs.EnumerateObject())
            {
                if (input.Value.ValueKind == JsonValueKind.String)
                {
                    yield return input.Value.GetString()!;
                }
            }
        }
    }
}

/// <summary>One POST /upload/image the fake stored.</summary>
/// <param name="Name">The name it was stored under (what the server answered), e.g. "x (1).png".</param>
/// <param name="OriginalName">The file name the client sent.</param>
/// <param name="Length">The uploaded byte count.</param>
public sealed record FakeUpload(string Name, string OriginalName, string Subfolder, string Type, long Length);
