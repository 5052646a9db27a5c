using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Live;

/// <summary>Issue 12: POST /frontend/webhook/job-update (the seed's arrow n8n → frontend) passes n8n's {job_id, status}
/// to every open page as a <c>job-update</c> event of GET /orchestrate/events. The services here are API-only: a job
/// stays queued (its record is all a notice needs), and no worker spends the shared CPU.</summary>
public sealed class FrontendWebhookSpecs
{
    private const string Key = "frontend-notice-key-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static HttpRequestMessage Request(HttpMethod method, string path, string? json, string? key = Key)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }
        return request;
    }

    private static HttpRequestMessage Notice(string json, string? key = Key) => Request(HttpMethod.Post, "/frontend/webhook/job-update", json, key);

    private static async Task<EventStreamReader> OpenAsync(ServiceUnderTest service, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("X-API-Key", Key);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await service.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new EventStreamReader(await response.Content.ReadAsStreamAsync());
    }

    private static async Task<string> SubmitAsync(ServiceUnderTest service, string runId)
    {
        using var request = Request(HttpMethod.Post, "/orchestrate/start", JobBodies.Simple(runId));
        using var response = await service.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetString()!;
    }

    /// <returns>The ack's body.</returns>
    private static async Task<JsonElement> PostNoticeAsync(ServiceUnderTest service, string jobId, string status)
    {
        using var response = await service.Http.SendAsync(Notice($$"""{"job_id":"{{jobId}}","status":"{{status}}"}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"the notice answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<ServerSentEvent> NextNamedAsync(EventStreamReader events, string name, CancellationToken token)
    {
        while (await events.NextAsync(token) is { } next)
        {
            if (next.Event == name)
            {
                return next;
            }
        }
        throw new Xunit.Sdk.XunitException($"the stream ended before a {name} event");
    }

    [Fact]
    public async Task A_posted_update_reaches_an_open_events_subscriber_as_a_job_update_event_with_exactly_its_body()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api, apiKeys: Key);
        var jobId = await SubmitAsync(api, "notice-run");
        using var events = await OpenAsync(api, "/orchestrate/events");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var ack = await PostNoticeAsync(api, jobId, "completed");
        using var patience = new CancellationTokenSource(Patience);
        var notice = await NextNamedAsync(events, "job-update", patience.Token);

        Assert.Equal(ack.GetProperty("event_id").GetString(), notice.Id);
        var data = notice.Json;
        Assert.Equal(["job_id", "status", "received_at"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal(jobId, data.GetProperty("job_id").GetString());
        Assert.Equal("completed", data.GetProperty("status").GetString());
        Assert.InRange(data.GetProperty("received_at").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));
        using var status = await api.Http.SendAsync(Request(HttpMethod.Get, $"/orchestrate/status/{jobId}", null));
        Assert.Equal("queued", JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString()); // n8n's word changes nothing in the job
    }

    [Fact]
    public async Task A_notice_after_a_job_ended_reaches_its_one_job_stream_on_reconnect_after_the_terminal_event_and_the_stream_ends()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api, apiKeys: Key);
        var jobId = await SubmitAsync(api, "ended-notice-run");
        using (var cancel = await api.Http.SendAsync(Request(HttpMethod.Post, $"/orchestrate/cancel/{jobId}", null)))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode); // a queued job is cancelled at once
        }
        var terminalId = (await api.Redis.Db.StreamRangeAsync("video_orchestrator:updates")).Last(e => e["job_id"] == jobId).Id.ToString();

        var ack = await PostNoticeAsync(api, jobId, "cancelled");
        using var events = await OpenAsync(api, $"/orchestrate/events/{jobId}", lastEventId: terminalId); // as an EventSource reconnects
        using var patience = new CancellationTokenSource(Patience);

        var notice = await events.NextAsync(patience.Token);
        Assert.Equal(("job-update", ack.GetProperty("event_id").GetString()), (notice?.Event, notice?.Id));
        Assert.Equal("cancelled", notice!.Json.GetProperty("status").GetString());
        Assert.Null(await events.NextAsync(patience.Token)); // then it ends, as the job has
    }

    [Fact]
    public async Task A_notice_for_an_unknown_job_is_a_404_problem_and_reaches_no_page()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api, apiKeys: Key);

        using var response = await api.Http.SendAsync(Notice($$"""{"job_id":"{{Guid.NewGuid()}}","status":"completed"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("https://videoakka.dev/problems/unknown-job",
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
        Assert.Equal(0, await api.Redis.Db.StreamLengthAsync("video_orchestrator:updates"));
    }

    [Fact]
    public async Task A_status_outside_the_five_is_a_400_problem_naming_the_field()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api, apiKeys: Key);
        var jobId = await SubmitAsync(api, "bad-status-run");

        using var response = await api.Http.SendAsync(Notice($$"""{"job_id":"{{jobId}}","status":"done"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("https://videoakka.dev/problems/invalid-job-update", problem.GetProperty("type").GetString());
        Assert.Equal(["status"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task With_api_keys_set_a_notice_needs_one_and_without_keys_it_needs_none()
    {
        await using var keyed = await ServiceUnderTest.StartAsync(role: ServiceRole.Api, apiKeys: Key);
        var jobId = await SubmitAsync(keyed, "keyed-notice-run");
        using var keyless = await keyed.Http.SendAsync(Notice($$"""{"job_id":"{{jobId}}","status":"completed"}""", key: null));
        Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
        Assert.Equal(1, await keyed.Redis.Db.StreamLengthAsync("video_orchestrator:updates")); // its "queued" only

        await using var open = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        using var submitted = await open.PostJsonAsync(JobBodies.Simple("open-notice-run"));
        var openJobId = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetString();
        using var accepted = await open.Http.SendAsync(Notice($$"""{"job_id":"{{openJobId}}","status":"completed"}""", key: null));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }
}
