using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>One entry of the updates stream: its stream id (what SSE clients resume from), the job, the update JSON.</summary>
public sealed record StreamedUpdate(string Id, string JobId, string Json);

/// <summary>
/// Reads the updates stream (<see cref="RedisKeys.Updates"/>): the entries after an id, for a subscriber that resumes
/// and for the one reader that follows it live.
/// </summary>
public sealed partial class JobUpdateStream(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>A stream id as Redis makes them ("1764520000000-0").</summary>
    public static bool IsId(string? text) => text is not null && IdPattern().IsMatch(text);

    /// <summary>Orders two stream ids (milliseconds, then sequence).</summary>
    public static int Compare(string a, string b)
    {
        var (aMs, aSeq) = Parse(a);
        var (bMs, bSeq) = Parse(b);
        return aMs != bMs ? aMs.CompareTo(bMs) : aSeq.CompareTo(bSeq);
    }

    /// <summary>The id of the newest entry, or "0-0" when there is none: where a live reader starts.</summary>
    public async Task<string> LastIdAsync()
    {
        var newest = await redis.GetDatabase().StreamRangeAsync(keys.Updates, "-", "+", count: 1, messageOrder: Order.Descending).ConfigureAwait(false);
        return newest.Length == 0 ? "0-0" : newest[0].Id.ToString();
    }

    /// <summary>How many entries one read returns at most.</summary>
    public const int Batch = 500;

    /// <summary>Up to <see cref="Batch"/> entries after <paramref name="afterId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<StreamedUpdate>> AfterAsync(string afterId)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(keys.Updates, "(" + afterId, "+", Batch).ConfigureAwait(false);
        return [.. entries.Select(ToUpdate)];
    }

    private static StreamedUpdate ToUpdate(StreamEntry entry) =>
        new(entry.Id.ToString(), entry["job_id"].ToString(), entry["update"].IsNull ? "{}" : entry["update"].ToString());

    private static (long Ms, long Seq) Parse(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return (long.Parse(id.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(id.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^[0-9]{1,15}-[0-9]{1,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
