using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// One JSON text frame from ComfyUI's <c>/ws</c>, parsed. Only what a client waiting for a prompt acts on gets its
/// own type; everything else is an <see cref="OtherEvent"/>, so a new or custom event never breaks the client.
/// Binary frames (previews, progress text) are not parsed.
/// </summary>
public abstract record ComfyUiEvent;

/// <summary><c>status</c>: the queue length, running prompt included. The first frame on a socket carries the
/// <paramref name="Sid"/> (the client id, or one the server invented); later ones do not.</summary>
public sealed record QueueStatus(int QueueRemaining, string? Sid) : ComfyUiEvent;

/// <summary><c>execution_start</c>: the worker took the prompt off the queue.</summary>
public sealed record ExecutionStarted(string PromptId) : ComfyUiEvent;

/// <summary><c>execution_cached</c>: nodes whose outputs come from the cache and will not run (nor send
/// <c>executing</c>).</summary>
public sealed record ExecutionCached(string PromptId, ImmutableArray<string> Nodes) : ComfyUiEvent;

/// <summary>
/// <c>executing</c>: <paramref name="Node"/> starts. <paramref name="Node"/> null with a <paramref name="PromptId"/>
/// is the end of that prompt whatever the outcome, sent after its history entry is stored: the one reliable "done"
/// signal. <paramref name="PromptId"/> is null on the frame re-sent to a client that reconnects mid-run.
/// </summary>
public sealed record NodeExecuting(string? PromptId, string? Node) : ComfyUiEvent;

/// <summary><c>executed</c> of a node whose UI output names files (also re-sent for cached output nodes, with the
/// earlier files). An <c>executed</c> that names no file (PreviewAny's text...) is an <see cref="OtherEvent"/>.</summary>
public sealed record NodeExecuted(string PromptId, string Node, ImmutableArray<ComfyUiOutputFile> Files) : ComfyUiEvent;

/// <summary><c>progress</c>: a node's own step counter (samplers, upscalers). Not <c>progress_state</c>.</summary>
public sealed record NodeProgress(string PromptId, string? Node, double Value, double Max) : ComfyUiEvent;

/// <summary><c>execution_success</c>. Not yet the time to read the history: wait for <see cref="NodeExecuting"/>
/// with a null node.</summary>
public sealed record ExecutionSucceeded(string PromptId) : ComfyUiEvent;

/// <summary><c>execution_error</c>: a node raised at run time. Also the error message of a history entry. The
/// traceback and the node's inputs are dropped on purpose: they are long and name server paths.</summary>
public sealed record ExecutionFailed(string PromptId, string? NodeId, string? NodeType, string? ExceptionType, string ExceptionMessage) : ComfyUiEvent
{
    private const int MaxDescription = 500;

    /// <summary>One trimmed line for logs and job errors, e.g. "node 10 (LoadImage) raised
    /// PIL.UnidentifiedImageError: cannot identify image file ...".</summary>
    public string Describe()
    {
        var node = (NodeId, NodeType) switch
        {
            (null, null) => "the workflow",
            (null, { } type) => $"a {type} node",
            ({ } id, null) => $"node {id}",
            ({ } id, { } type) => $"node {id} ({type})",
        };
        var exception = string.IsNullOrWhiteSpace(ExceptionType) ? "an error" : ExceptionType;
        var message = string.IsNullOrWhiteSpace(ExceptionMessage) ? "" : $": {ExceptionMessage}";
        return ComfyUiText.OneLine($"{node} raised {exception}{message}", MaxDescription);
    }
}

/// <summary><c>execution_interrupted</c>: someone interrupted the prompt; <paramref name="NodeId"/> is the node that
/// was about to run. Broadcast to every socket, so filter by prompt id.</summary>
public sealed record ExecutionInterrupted(string PromptId, string? NodeId, string? NodeType) : ComfyUiEvent;

/// <summary>Any frame the client does not act on (<c>progress_state</c>, <c>feature_flags</c>, file-less
/// <c>executed</c>, custom events), or one whose shape is not what we know: <paramref name="Type"/> is the frame's
/// type, or "?" when it has none or is not JSON.</summary>
public sealed record OtherEvent(string Type) : ComfyUiEvent;

/// <summary>Turns WS text frames into <see cref="ComfyUiEvent"/>s. Never throws: a frame we cannot read is an
/// <see cref="OtherEvent"/>, because one odd frame must not end the wait for a prompt.</summary>
public static class ComfyUiEvents
{
    /// <summary>The <see cref="OtherEvent.Type"/> of a frame that is not JSON or has no string "type".</summary>
    public const string Unknown = "?";

    public static ComfyUiEvent Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement);
        }
        catch (JsonException)
        {
            return new OtherEvent(Unknown);
        }
        catch (ArgumentException)
        {
            return new OtherEvent(Unknown);
        }
    }

    private static ComfyUiEvent Parse(JsonElement frame)
    {
        if (frame.ValueKind != JsonValueKind.Object || ComfyUiJson.String(frame, "type") is not { } type)
        {
            return new OtherEvent(Unknown);
        }
        if (!frame.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return new OtherEvent(type);
        }
        var promptId = ComfyUiJson.String(data, "prompt_id");
        ComfyUiEvent? parsed = type switch
        {
            "status" => Status(data),
            "execution_start" when promptId is not null => new ExecutionStarted(promptId),
            "execution_cached" when promptId is not null => new ExecutionCached(promptId, ComfyUiJson.Strings(data, "nodes")),
            "executing" => new NodeExecuting(promptId, ComfyUiJson.String(data, "node")),
            "executed" when promptId is not null => Executed(promptId, data),
            "progress" when promptId is not null => Progress(promptId, data),
            "execution_success" when promptId is not null => new ExecutionSucceeded(promptId),
            "execution_error" => ReadFailure(data, promptId),
            "execution_interrupted" => ReadInterruption(data, promptId),
            _ => null,
        };
        return parsed ?? new OtherEvent(type);
    }

    /// <summary>An <c>execution_error</c> payload (WS frame or history message), or null without a prompt id.</summary>
    internal static ExecutionFailed? ReadFailure(JsonElement data, string? fallbackPromptId) =>
        (ComfyUiJson.String(data, "prompt_id") ?? fallbackPromptId) is { } promptId
            ? new ExecutionFailed(
                promptId,
                ComfyUiJson.String(data, "node_id"),
                ComfyUiJson.String(data, "node_type"),
                ComfyUiJson.String(data, "exception_type"),
                ComfyUiJson.String(data, "exception_message") ?? "")
            : null;

    /// <summary>An <c>execution_interrupted</c> payload (WS frame or history message), or null without a prompt id.</summary>
    internal static ExecutionInterrupted? ReadInterruption(JsonElement data, string? fallbackPromptId) =>
        (ComfyUiJson.String(data, "prompt_id") ?? fallbackPromptId) is { } promptId
            ? new ExecutionInterrupted(promptId, ComfyUiJson.String(data, "node_id"), ComfyUiJson.String(data, "node_type"))
            : null;

    private static QueueStatus? Status(JsonElement data) =>
        data.TryGetProperty("status", out var status)
        && status.ValueKind == JsonValueKind.Object
        && status.TryGetProperty("exec_info", out var info)
        && info.ValueKind == JsonValueKind.Object
        && ComfyUiJson.Number(info, "queue_remaining") is { } remaining
        && remaining >= 0 && remaining <= int.MaxValue && remaining == Math.Floor(remaining)
            ? new QueueStatus((int)remaining, ComfyUiJson.String(data, "sid"))
            : null;

    private static NodeExecuted? Executed(string promptId, JsonElement data)
    {
        if (ComfyUiJson.String(data, "node") is not { } node || !data.TryGetProperty("output", out var output))
        {
            return null;
        }
        var files = ComfyUiOutputFiles.Read(node, output);
        return files.IsEmpty ? null : new NodeExecuted(promptId, node, files);
    }

    private static NodeProgress? Progress(string promptId, JsonElement data) =>
        ComfyUiJson.Number(data, "value") is { } value && ComfyUiJson.Number(data, "max") is { } max
            ? new NodeProgress(promptId, ComfyUiJson.String(data, "node"), value, max)
            : null;
}

/// <summary>Lenient reads of ComfyUI's JSON: a missing or differently typed value is null, never an exception.</summary>
internal static class ComfyUiJson
{
    public static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object
        && obj.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>Any JSON number, integer or not (ComfyUI sends 1 and 1.0 for the same thing).</summary>
    public static double? Number(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object
        && obj.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number
        && value.TryGetDouble(out var number)
        && double.IsFinite(number)
            ? number
            : null;

    /// <summary>The string elements of an array property; other elements are skipped, a missing array is empty.</summary>
    public static ImmutableArray<string> Strings(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object
        && obj.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
}

/// <summary>Server text squeezed into one bounded line: messages end up in logs and job records.</summary>
internal static class ComfyUiText
{
    public static string OneLine(string text, int maxLength)
    {
        var line = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = line.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                line.Append(' ');
                pendingSpace = false;
            }
            line.Append(c);
            if (line.Length > maxLength)
            {
                break;
            }
        }
        return line.Length <= maxLength ? line.ToString() : line.ToString(0, maxLength - 1).TrimEnd() + "…";
    }
}
