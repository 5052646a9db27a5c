using System.Collections.Immutable;
using System.Text.Json;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>How a finished prompt ended. ComfyUI writes <c>status_str: "error"</c> for both a run-time error and an
/// interrupt; only the last status message tells them apart.</summary>
public enum ComfyUiOutcome
{
    Success,
    Error,
    Interrupted,
}

/// <summary>
/// A finished prompt as <c>GET /history/{id}</c> reports it: the authority on the outcome and on the files, since
/// WS frames are lost when the socket drops and are only sent to the submitting client.
/// </summary>
/// <param name="Files">Every file of every node output, in node order then array order. Kept on Error and
/// Interrupted too: branches that finished before the failure still saved theirs.</param>
/// <param name="Error">The <c>execution_error</c> message when <paramref name="Outcome"/> is Error and the entry
/// carries one.</param>
/// <param name="Interruption">The <c>execution_interrupted</c> message when <paramref name="Outcome"/> is Interrupted.</param>
public sealed record ComfyUiHistoryEntry(
    string PromptId,
    ComfyUiOutcome Outcome,
    ImmutableArray<ComfyUiOutputFile> Files,
    ExecutionFailed? Error,
    ExecutionInterrupted? Interruption);

/// <summary>Reads a <c>GET /history/{id}</c> body.</summary>
public static class ComfyUiHistory
{
    /// <summary>
    /// The entry for <paramref name="promptId"/>, or null when the body has none: ComfyUI answers <c>{}</c> (200) for
    /// a prompt that is pending, running, unknown or deleted, so null means "not finished here", not "failed".
    /// A body that is not an object also gives null. Never throws on odd shapes.
    /// </summary>
    public static ComfyUiHistoryEntry? Parse(JsonElement body, string promptId)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty(promptId, out var entry)
            || entry.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var files = Files(entry);
        var status = entry.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        var messages = Messages(status);
        var last = messages.Count > 0 ? messages[^1].Name : null;
        if (last == "execution_interrupted")
        {
            var interruption = ComfyUiEvents.ReadInterruption(messages[^1].Data, promptId);
            return new ComfyUiHistoryEntry(promptId, ComfyUiOutcome.Interrupted, files, null, interruption);
        }
        if (ComfyUiJson.String(status, "status_str") == "success" && last != "execution_error")
        {
            return new ComfyUiHistoryEntry(promptId, ComfyUiOutcome.Success, files, null, null);
        }
        // "error", an unknown status, or none at all: never report success for what we cannot read as success.
        var failure = messages.LastOrDefault(m => m.Name == "execution_error") is { Name: not null } message
            ? ComfyUiEvents.ReadFailure(message.Data, promptId)
            : null;
        return new ComfyUiHistoryEntry(promptId, ComfyUiOutcome.Error, files, failure, null);
    }

    private static ImmutableArray<ComfyUiOutputFile> Files(JsonElement entry)
    {
        if (!entry.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        return [.. outputs.EnumerateObject().SelectMany(node => ComfyUiOutputFiles.Read(node.Name, node.Value))];
    }

    /// <summary><c>status.messages</c>: <c>[name, data]</c> pairs; malformed pairs are skipped.</summary>
    private static List<(string? Name, JsonElement Data)> Messages(JsonElement status)
    {
        var messages = new List<(string? Name, JsonElement Data)>();
        if (status.ValueKind != JsonValueKind.Object
            || !status.TryGetProperty("messages", out var list)
            || list.ValueKind != JsonValueKind.Array)
        {
            return messages;
        }
        foreach (var pair in list.EnumerateArray())
        {
            if (pair.ValueKind == JsonValueKind.Array
                && pair.GetArrayLength() >= 2
                && pair[0].ValueKind == JsonValueKind.String
                && pair[1].ValueKind == JsonValueKind.Object)
            {
                messages.Add((pair[0].GetString(), pair[1]));
            }
        }
        return messages;
    }
}
