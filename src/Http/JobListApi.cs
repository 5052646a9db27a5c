using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Http;

/// <summary>GET /orchestrate/jobs (recent jobs, newest first, paged) and GET /orchestrate/dead-letter (failed jobs'
/// entries, newest first, paged).</summary>
public static class JobListApi
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    public static async Task<Results<Ok<JobListResponse>, ProblemHttpResult>> JobsAsync(
        string? status, int? limit, string? cursor, IJobStore store, HttpResponse response)
    {
        JobStatus? wanted = null;
        if (status is not null)
        {
            var match = Enum.GetValues<JobStatus>().Where(s => s.ToWire() == status).ToArray();
            if (match.Length == 0)
            {
                return Problems.BadQuery("status", "must be queued, running, completed, failed or cancelled");
            }
            wanted = match[0];
        }
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.BadQuery("limit", $"must be from 1 to {MaxLimit}");
        }
        var after = JobCursor.Parse(cursor);
        if (cursor is not null && after is null)
        {
            return Problems.BadQuery("cursor", "is not a cursor this API gave");
        }
        try
        {
            var page = await store.ListAsync(wanted, limit ?? DefaultLimit, after);
            return TypedResults.Ok(new JobListResponse(
                [.. page.Jobs.Select(r => new JobSummary(r.JobId, r.RunId, r.Status, r.Stage, r.Progress, r.CreatedAt, r.StartedAt, r.FinishedAt, r.Error))],
                page.Next?.ToString()));
        }
        catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
        {
            return Problems.QueueUnavailable(response);
        }
    }

    public static async Task<Results<Ok<DeadLetterResponse>, ProblemHttpResult>> DeadLetterAsync(
        int? limit, string? cursor, IJobStore store, HttpResponse response)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.BadQuery("limit", $"must be from 1 to {MaxLimit}");
        }
        var offset = 0;
        if (cursor is not null && !(int.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset) && offset >= 0))
        {
            return Problems.BadQuery("cursor", "is not a cursor this API gave");
        }
        try
        {
            var page = await store.DeadLetterAsync(limit ?? DefaultLimit, offset);
            return TypedResults.Ok(new DeadLetterResponse(page.Entries, page.NextOffset?.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Total));
        }
        catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
        {
            return Problems.QueueUnavailable(response);
        }
    }
}
