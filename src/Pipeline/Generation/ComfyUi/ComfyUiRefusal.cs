using System.Text.Json;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// Describes why <c>POST /prompt</c> did not (fully) accept a workflow, in one bounded line that names each failing
/// node by id, class_type and reason: a job error has to say which node of the template to fix. Covers the 400 JSON
/// refusals, the 200 whose <c>node_errors</c> says some output nodes were dropped, and aiohttp's plain-text 500.
/// </summary>
public static class ComfyUiRefusal
{
    private const int MaxLength = 800;

    private const string Refused = "ComfyUI refused the workflow";

    /// <summary>
    /// For a 2xx body: null when <c>node_errors</c> is empty or absent (fully accepted), otherwise the description.
    /// For any other status: the description. A body that is not a JSON object gives
    /// "ComfyUI answered &lt;status&gt;: &lt;first line&gt;".
    /// </summary>
    public static string? Describe(int statusCode, string body)
    {
        var accepted = statusCode is >= 200 and <= 299;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var description = accepted ? Partial(root) : Refusal(root);
                return description is null && accepted ? null : Bound(description ?? Answered(statusCode, body));
            }
        }
        catch (JsonException)
        {
            // Not JSON: aiohttp's own error page (malformed request body) or a proxy's.
        }
        return Bound(Answered(statusCode, body));
    }

    private static string? Partial(JsonElement root) =>
        NodeErrors(root) is { Length: > 0 } nodes ? $"ComfyUI refused part of the workflow: {nodes}" : null;

    private static string? Refusal(JsonElement root)
    {
        var nodes = NodeErrors(root);
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
        {
            // Older servers: {"error": "no prompt", "node_errors": []}.
            return $"{Refused}: {Join(error.GetString(), nodes)}";
        }
        if (error.ValueKind != JsonValueKind.Object)
        {
            return nodes.Length > 0 ? $"{Refused}: {nodes}" : null;
        }
        var type = ComfyUiJson.String(error, "type");
        var message = ComfyUiJson.String(error, "message");
        if (nodes.Length > 0)
        {
            // prompt_outputs_failed_validation: error.details only repeats (part of) what node_errors says.
            return $"{Refused}: {Join(message, nodes)}";
        }
        var details = ComfyUiJson.String(error, "details");
        var reason = string.IsNullOrWhiteSpace(details) || details == message ? message : Join(message, details);
        var label = string.IsNullOrWhiteSpace(type) ? Refused : $"{Refused} ({type})";
        return string.IsNullOrWhiteSpace(reason) ? label : $"{label}: {reason}";
    }

    /// <summary>"node 3 (KSampler): Value 0 smaller than min of 1: steps; node 5 (...): ..." — one clause per error.</summary>
    private static string NodeErrors(JsonElement root)
    {
        if (!root.TryGetProperty("node_errors", out var nodeErrors) || nodeErrors.ValueKind != JsonValueKind.Object)
        {
            return "";
        }
        var clauses = new List<string>();
        foreach (var node in nodeErrors.EnumerateObject())
        {
            var classType = ComfyUiJson.String(node.Value, "class_type");
            var name = string.IsNullOrWhiteSpace(classType) ? $"node {node.Name}" : $"node {node.Name} ({classType})";
            var reasons = Reasons(node.Value);
            clauses.AddRange(reasons.Count == 0 ? [$"{name}: failed validation"] : reasons.Select(reason => $"{name}: {reason}"));
        }
        return string.Join("; ", clauses);
    }

    private static List<string> Reasons(JsonElement node)
    {
        var reasons = new List<string>();
        if (node.ValueKind != JsonValueKind.Object
            || !node.TryGetProperty("errors", out var errors)
            || errors.ValueKind != JsonValueKind.Array)
        {
            return reasons;
        }
        foreach (var error in errors.EnumerateArray())
        {
            var message = ComfyUiJson.String(error, "message");
            var details = ComfyUiJson.String(error, "details");
            // exception_during_validation: "KeyError: '99'" says more than "'99'".
            var exceptionType = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("extra_info", out var extra)
                ? ComfyUiJson.String(extra, "exception_type")
                : null;
            if (!string.IsNullOrWhiteSpace(exceptionType))
            {
                details = Join(exceptionType, details);
            }
            if (Join(message, details) is { Length: > 0 } reason)
            {
                reasons.Add(reason);
            }
        }
        return reasons;
    }

    private static string Answered(int statusCode, string body)
    {
        var firstLine = body.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0);
        return firstLine is null ? $"ComfyUI answered {statusCode} with an empty body" : $"ComfyUI answered {statusCode}: {firstLine}";
    }

    /// <summary>"a: b", or whichever of the two is not blank.</summary>
    private static string Join(string? first, string? second) =>
        (string.IsNullOrWhiteSpace(first), string.IsNullOrWhiteSpace(second)) switch
        {
            (false, false) => first!.TrimEnd().EndsWith('.') ? $"{first!.TrimEnd()} {second}" : $"{first}: {second}",
            (false, true) => first!,
            (true, false) => second!,
            _ => "",
        };

    private static string Bound(string text) => ComfyUiText.OneLine(text, MaxLength);
}
