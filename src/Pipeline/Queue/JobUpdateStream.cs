using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>One entry of the updates stream: its stream id (what SSE clients resume from), the job, the JSON, and
/// whether it is a change of the job's state or a notice for the frontend (n8n's word on a job).</summary>
public sealed record StreamedUpdate(string Id, string JobId, string Json, bool IsFrontendNotice = false);

/// <summary>
/// Reads the updates stream (<see cref="RedisKeys.Updates"/>): the entries after an id, for a subscriber that resumes
/// and for the one reader that follows it live. Also appends the frontend notices that POST /frontend/webhook/job-update
/// receives: they travel in the same stream (marked <c>kind=frontend-notice</c>), so that every API instance's
/// subscribers get them in order with the updates, and a Last-Event-ID resume covers both.
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

    /// <summary>The <c>kind</c> field of a frontend notice's entry (a job's own updates have none).</summary>
    public const string FrontendNoticeKind = "frontend-notice";

    // Only for a job that has a record: a notice for an unknown job is refused, and checking and appending in one script
    // leaves no moment between the two.
    private const string AppendNoticeScript =
        "if redis.call('EXISTS', KEYS[1]) == 0 then return false end\n" +
        "return redis.call('XADD', KEYS[2], 'MAXLEN', '~', " + JobFeed.Cap + ", '*', 'job_id', ARGV[1], 'kind', '" + FrontendNoticeKind + "', 'notice', ARGV[2])";

    /// <summary>Appends a frontend notice for a job.</summary>
    /// <returns>Its stream id, or null when the job has no record.</returns>
    public async Task<string?> AppendNoticeAsync(string jobId, string noticeJson)
    {
        var id = await redis.GetDatabase().ScriptEvaluateAsync(AppendNoticeScript, [keys.Job(jobId), keys.Updates], [jobId, noticeJson]).ConfigureAwait(false);
        return id.IsNull ? null : id.ToString();
    }

    private static StreamedUpdate ToUpdate(StreamEntry entry) =>
        entry["kind"] == FrontendNoticeKind
            ? new(entry.Id.ToString(), entry["job_id"].ToString(), entry["notice"].IsNull ? "{}" : entry["notice"].ToString(), IsFrontendNotice: true)
            : new(entry.Id.ToString(), entry["job_id"].ToString(), entry["update"].IsNull ? "{}" : entry["update"].ToString());

    private static (long Ms, long Seq) Parse(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return (long.Parse(id.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(id.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^[0-9]{1,15}-[0-9]{1,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
