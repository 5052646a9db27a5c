using System.Text;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace VideoAkka.Tests.Support;

/// <summary>Reads a job's events straight from its journal in Redis (video_orchestrator:journal:persisted:job-{id}):
/// each member is Akka's envelope around the event's own JSON, so the JSON can be read in place.</summary>
public static partial class JobJournal
{
    public static async Task<IReadOnlyList<string>> EventsAsync(IDatabase db, string jobId)
    {
        var members = await db.SortedSetRangeByRankAsync($"video_orchestrator:journal:persisted:job-{jobId}");
        return [.. members.Select(m => Encoding.UTF8.GetString((byte[])m!))];
    }

    /// <summary>How many events of this kind ("job_started", "clip_ready", "completed", ...) the job has.</summary>
    public static async Task<int> CountAsync(IDatabase db, string jobId, string kind) =>
        (await EventsAsync(db, jobId)).Count(e => e.Contains($"\"event\":\"{kind}\"", StringComparison.Ordinal));

    /// <summary>The scenes with a clip_ready (or image_ready) event.</summary>
    public static async Task<IReadOnlyList<int>> ScenesAsync(IDatabase db, string jobId, string kind) =>
        [.. (await EventsAsync(db, jobId))
            .Select(e => SceneOf().Match(e))
            .Where(m => m.Success && m.Groups[1].Value == kind)
            .Select(m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Distinct()
            .Order()];

    [GeneratedRegex("\"event\":\"([a-z_]+)\",\"scene\":(\\d+)")]
    private static partial Regex SceneOf();
}
