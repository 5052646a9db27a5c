using System.Globalization;
using System.Text.Json;

namespace VideoAkka.Host.Submit;

/// <summary>What the client knows of one job: from an update event of the events stream, or a status record (which
/// also gives the video's path). Read leniently, as anything from the network: a field missing or of the wrong type
/// is left empty.</summary>
public sealed record JobSnapshot(string JobId, string? RunId, string Status, string Stage, double Progress, string? Error, string? FinalVideoPath)
{
    public bool IsTerminal => Status is "completed" or "failed" or "cancelled";

    public static JobSnapshot? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "job_id") is not { } jobId)
            {
                return null;
            }
            var progress = root.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Number ? Math.Clamp(p.GetDouble(), 0, 1) : 0;
            return new JobSnapshot(jobId, Text(root, "run_id"), Text(root, "status") ?? "unknown", Text(root, "stage") ?? "", progress,
                Text(root, "error"), Text(root, "final_video_path"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>"running image-gen 40%": what a line or a progress bar says of it.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Status}{(Stage.Length > 0 && Stage != Status ? " " + Stage : "")} {Math.Round(Progress * 100):0}%");

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
