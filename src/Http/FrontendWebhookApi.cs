using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VideoAkka.Http.OpenApi;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Http;

/// <summary>
/// POST /frontend/webhook/job-update: the seed's arrow from n8n to the frontend. n8n's "job finished" workflow posts
/// <c>{job_id, status}</c> here; the notice is appended to the updates stream, so every API instance passes it to its
/// open pages (GET /orchestrate/events) as a <c>job-update</c> event. It is n8n's word, told on as it came: it changes
/// nothing in the job.
/// </summary>
public static class FrontendWebhookApi
{
    /// <summary>Two short fields: anything near this size is not a notice.</summary>
    public const long MaxBodyBytes = 4 * 1024;

    private static readonly string[] Statuses = [.. Enum.GetValues<JobStatus>().Select(s => s.ToWire())];

    public static RouteGroupBuilder MapFrontendWebhookApi(this IEndpointRouteBuilder app)
    {
        var keys = app.ServiceProvider.GetRequiredService<ApiKeys>();
        var api = app.MapGroup("/frontend/webhook");
        api.AddEndpointFilter(keys.FilterAsync); // n8n sends the key with its Header Auth credential, as for /orchestrate
        api.MapPost("/job-update", JobUpdateAsync).DescribeFrontendJobUpdate();
        return api;
    }

    public static async Task<Results<Accepted<FrontendNoticeAck>, ProblemHttpResult>> JobUpdateAsync(
        HttpRequest request, JobUpdateStream stream, TimeProvider clock)
    {
        if (!JsonMediaType.IsAcceptable(request.ContentType))
        {
            return Problems.UnsupportedMediaType(request.ContentType!);
        }
        var body = await RequestBody.ReadAsync(request, MaxBodyBytes, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return Problems.TooLarge(MaxBodyBytes);
        }
        using var document = RequestJson.Parse(body, out var refusal);
        if (document is null)
        {
            return refusal!;
        }
        var (jobId, status, errors) = Read(document.RootElement);
        if (errors.Count > 0)
        {
            return Problems.InvalidJobUpdate(errors);
        }

        var notice = new FrontendNotice(jobId!, status!, clock.GetUtcNow());
        string? eventId;
        try
        {
            eventId = await stream.AppendNoticeAsync(notice.JobId, JsonSerializer.Serialize(notice, FrontendNoticeJson.Default.FrontendNotice));
        }
        catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
        {
            return Problems.QueueUnavailable(request.HttpContext.Response);
        }
        return eventId is null
            ? Problems.UnknownJob(notice.JobId)
            : TypedResults.Accepted((string?)null, new FrontendNoticeAck(notice.JobId, notice.Status, eventId));
    }

    /// <summary>Exactly the seed's two fields: an unknown one is refused rather than dropped, so a sender that means
    /// something by it learns that nobody reads it.</summary>
    private static (string? JobId, string? Status, List<ValidationError> Errors) Read(JsonElement root)
    {
        var errors = new List<ValidationError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError("$", "must be an object {\"job_id\": \"...\", \"status\": \"...\"}"));
            return (null, null, errors);
        }
        string? jobId = null, status = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "job_id":
                    jobId = StringOf(property.Value);
                    break;
                case "status":
                    status = StringOf(property.Value);
                    break;
                default:
                    errors.Add(new ValidationError(Shorten(property.Name), "is not a field of a job update (only job_id and status)"));
                    break;
            }
        }
        if (jobId is null || !OrchestrateApi.IsJobId(jobId))
        {
            errors.Add(new ValidationError("job_id", "must be a job id as POST /orchestrate/start returns it (a UUID)"));
        }
        if (status is null || !Statuses.Contains(status, StringComparer.Ordinal))
        {
            errors.Add(new ValidationError("status", "must be one of " + string.Join(", ", Statuses)));
        }
        return (jobId, status, errors);
    }

    /// <returns>Null for anything but a string of valid Unicode (a lone surrogate escape cannot be read as one).</returns>
    private static string? StringOf(JsonElement value)
    {
        try
        {
            return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A property name is echoed back in the problem: a hostile one must not make it large.</summary>
    private static string Shorten(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
