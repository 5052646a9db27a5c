using System.Text.Json;

namespace VideoAkka.Host.Submit;

/// <summary>One job to submit: where it came from ("batch.jsonl:3"), its body as written, and its run_id if it names
/// one; or why it cannot be sent at all.</summary>
public sealed record BatchEntry(string Source, string? Body, string? RunId, string? Problem);

/// <summary>
/// Reads the jobs of a file: a .jsonl (or .ndjson) file holds one job a line, as MoneyPrinterTurbo's batch mode does;
/// any other file is one job. A line that is not JSON is reported by its number and the rest are still sent; whether
/// a JSON value is a valid job is the API's to say.
/// </summary>
public static class BatchFile
{
    public static bool IsBatch(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson";

    public static async Task<IReadOnlyList<BatchEntry>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        if (!IsBatch(path))
        {
            return [Entry(name, await File.ReadAllTextAsync(path, cancellationToken))];
        }
        var entries = new List<BatchEntry>();
        var number = 0;
        await foreach (var line in File.ReadLinesAsync(path, cancellationToken))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                entries.Add(Entry($"{name}:{number}", line));
            }
        }
        return entries;
    }

    private static BatchEntry Entry(string source, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var runId = json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("run_id", out var run) && run.ValueKind == JsonValueKind.String
                    ? run.GetString()
                    : null;
            return new BatchEntry(source, body, runId, null);
        }
        catch (JsonException e)
        {
            return new BatchEntry(source, null, null, $"not valid JSON ({e.Message})");
        }
    }
}
