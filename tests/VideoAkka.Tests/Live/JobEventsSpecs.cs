using System.Net;
using System.Net.Http.Headers;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Live;

/// <summary>Issue 12, Must show 2: GET /orchestrate/events[/{job_id}] streams every change of a job as it is written
/// (from the updates stream the writing scripts append to), and a reconnect with Last-Event-ID misses nothing.</summary>
public sealed class JobEventsSpecs
{
    private const string Hocon = ServiceUnderTest.SmallFrames + "\nvideoakka.worker.progress-interval = 100ms";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static async Task<(HttpResponseMessage Response, EventStreamReader Events)> OpenAsync(ServiceUnderTest service, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await service.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return (response, new EventStreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The ids of the job's entries in the updates stream, oldest first: what a subscriber must have seen.</summary>
    private static async Task<string[]> StreamedIdsAsync(ServiceUnderTest service, string jobId) =>
        [.. (await service.Redis.Db.StreamRangeAsync("video_orchestrator:updates")).Where(e => e["job_id"] == jobId).Select(e => e.Id.ToString())];

    [Fact]
    public async Task A_subscriber_to_a_job_sees_its_state_then_every_change_to_its_terminal_event_and_the_stream_ends()
    {
        await using var service = await ServiceUnderTest.StartAsync(Hocon);
        // 20 s clips: the job spends several progress intervals making them, on any machine.
        var jobId = await service.SubmitAsync(JobBodies.Simple("watched-run", scenes: 2, sceneSeconds: 20));

        var (response, events) = await OpenAsync(service, $"/orchestrate/events/{jobId}");
        using var _ = response;
        using var __ = events;
        using var patience = new CancellationTokenSource(Patience);
        var seen = new List<ServerSentEvent>();
        while (await events.NextAsync(patience.Token) is { } next)
        {
            seen.Add(next);
        }

        var updates = seen.Where(e => e.Data is not null).ToList();
        Assert.Null(updates[0].Id); // its state when the stream opened
        Assert.Equal("watched-run", updates[0].Json.GetProperty("run_id").GetString());
        var last = updates[^1].Json;
        Assert.Equal(("completed", "done", 1.0), (last.GetProperty("status").GetString(), last.GetProperty("stage").GetString(), last.GetProperty("progress").GetDouble()));
        // Progress is written at most once a progress-interval, stage changes included: a short stage may not show,
        // but the running job does, with its clips being made, and stages never go back.
        Assert.Contains(updates, e => e.Json.GetProperty("status").GetString() == "running");
        var stages = updates.Select(e => e.Json.GetProperty("stage").GetString()!).Distinct().ToArray();
        Assert.Contains("video-gen", stages);
        string[] order = ["queued", "preparing", "tts", "image-gen", "video-gen", "subtitle", "stitch", "qc", "done"];
        Assert.Equal(stages.OrderBy(stage => Array.IndexOf(order, stage)), stages);
        var progress = updates.Select(e => e.Json.GetProperty("progress").GetDouble()).ToArray();
        Assert.Equal(progress.Order(), progress); // never backwards
        var ids = updates.Skip(1).Select(e => e.Id!).ToArray();
        var streamed = await StreamedIdsAsync(service, jobId);
        Assert.Equal(streamed.SkipWhile(id => id != ids[0]), ids); // every change after the first one it got, in order
    }

    [Fact]
    public async Task A_reconnect_with_last_event_id_gets_every_update_it_missed_and_nothing_twice()
    {
        await using var service = await ServiceUnderTest.StartAsync(Hocon);
        using var patience = new CancellationTokenSource(Patience);
        var received = new List<ServerSentEvent>();
        string jobId;
        var (first, firstEvents) = await OpenAsync(service, "/orchestrate/events");
        using (first)
        using (firstEvents)
        {
            jobId = await service.SubmitAsync(JobBodies.Simple("resumed-stream-run", scenes: 2, sceneSeconds: 2));
            while (received.Count(e => e.Json.GetProperty("job_id").GetString() == jobId) < 3
                && await firstEvents.NextAsync(patience.Token) is { } next)
            {
                if (next.Data is not null)
                {
                    received.Add(next);
                }
            }
        } // the client goes away while the job runs on
        Assert.Equal("completed", (await service.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());

        var (second, secondEvents) = await OpenAsync(service, "/orchestrate/events", lastEventId: received[^1].Id);
        using (second)
        using (secondEvents)
        {
            while (await secondEvents.NextAsync(patience.Token) is { } next)
            {
                if (next.Data is null)
                {
                    continue;
                }
                received.Add(next);
                if (next.Json.GetProperty("job_id").GetString() == jobId && next.Json.GetProperty("status").GetString() == "completed")
                {
                    break;
                }
            }
        }

        var ids = received.Where(e => e.Json.GetProperty("job_id").GetString() == jobId).Select(e => e.Id!).ToArray();
        Assert.Equal(await StreamedIdsAsync(service, jobId), ids); // from "queued" to "completed": none missed, none twice
        Assert.Equal("queued", received[0].Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_reconnect_to_a_finished_jobs_stream_after_its_terminal_event_ends_at_once()
    {
        await using var service = await ServiceUnderTest.StartAsync(Hocon);
        var jobId = await service.SubmitAsync(JobBodies.Simple("ended-run", scenes: 1, voiceover: false));
        await service.WaitUntilFinishedAsync(jobId);
        var terminalId = (await StreamedIdsAsync(service, jobId))[^1];

        var (response, events) = await OpenAsync(service, $"/orchestrate/events/{jobId}", lastEventId: terminalId);
        using var _ = response;
        using var __ = events;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        Assert.Null(await events.NextAsync(patience.Token)); // nothing after its end, and no stream held open
    }

    [Fact]
    public async Task An_idle_stream_gets_a_heartbeat_comment()
    {
        await using var api = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.api.events-heartbeat = 200ms", role: ServiceRole.Api);
        var (response, events) = await OpenAsync(api, "/orchestrate/events");
        using var _ = response;
        using var __ = events;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var first = await events.NextAsync(patience.Token);

        Assert.Equal(new ServerSentEvent(null, null, null, "heartbeat"), first);
    }
}
