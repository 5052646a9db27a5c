using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Http;

/// <summary>
/// GET /orchestrate/events and GET /orchestrate/events/{job_id}: every change of a job's status, stage and progress
/// as Server-Sent Events, as the scripts that write them append them to the updates stream. Each event's id is its
/// stream id: a client that reconnects with Last-Event-ID gets everything after it first. A comment line every
/// heartbeat keeps proxies from closing an idle stream. One job's stream opens with its current state and ends after
/// its terminal event. Frontend notices (n8n's word on a job, from the same stream) go out as <c>job-update</c> events
/// beside them; as n8n sends one after the job ended, a one-job stream usually has ended already: its client gets the
/// notice when it reconnects with Last-Event-ID (an EventSource does so by itself), the all-jobs stream at once.
/// </summary>
public static class JobEventsApi
{
    /// <summary>A change of a job's status, stage or progress.</summary>
    public const string UpdateEvent = "update";

    /// <summary>What n8n told the frontend about a job (POST /frontend/webhook/job-update): data
    /// <c>{"job_id", "status", "received_at"}</c>. The web page listens for this name: it is a contract.</summary>
    public const string FrontendNoticeEvent = "job-update";

    public static Task<IResult> AllAsync(HttpContext context, JobUpdateHub hub, JobUpdateStream stream, HttpSettings settings) =>
        Task.FromResult(Open(context, hub, stream, settings, jobId: null, snapshot: null));

    public static async Task<IResult> JobAsync(string job_id, HttpContext context, JobUpdateHub hub, JobUpdateStream stream, IJobStore store,
        HttpSettings settings)
    {
        if (!OrchestrateApi.IsJobId(job_id))
        {
            return Problems.UnknownJob(job_id);
        }
        JobRecord? record;
        try
        {
            var json = await store.GetLiveJsonAsync(job_id);
            record = json is null ? null : JobJson.DeserializeRecord(json);
        }
        catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
        {
            return Problems.QueueUnavailable(context.Response);
        }
        catch (System.Text.Json.JsonException)
        {
            return Problems.UnreadableRecord(job_id);
        }
        return record is null ? Problems.UnknownJob(job_id) : Open(context, hub, stream, settings, job_id, JobUpdate.Of(record));
    }

    private static IResult Open(HttpContext context, JobUpdateHub hub, JobUpdateStream stream, HttpSettings settings, string? jobId, JobUpdate? snapshot)
    {
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0 && !JobUpdateStream.IsId(lastEventId))
        {
            return Problems.BadLastEventId();
        }
        return new EventStream(hub, stream, settings.EventsHeartbeat, jobId, lastEventId.Length > 0 ? lastEventId : null, snapshot);
    }

    private sealed class EventStream(JobUpdateHub hub, JobUpdateStream stream, TimeSpan heartbeat, string? jobId, string? resumeAfter,
        JobUpdate? snapshot) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each event on at once
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            // Ends with the client, and when the service stops: an open stream must not hold up the shutdown.
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            var token = ended.Token;

            // Subscribed before catching up, so nothing appended meanwhile falls between the two; duplicates are skipped
            // by id.
            using var subscription = hub.Subscribe();
            try
            {
                await response.StartAsync(token);
                // Kestrel sends the headers with the first write otherwise, a heartbeat later on an idle stream: a
                // client (an EventSource's open event, `submit --wait`) learns it is subscribed only from them.
                await response.Body.FlushAsync(token);
                var sent = resumeAfter;
                if (resumeAfter is not null)
                {
                    while (true)
                    {
                        var page = await stream.AfterAsync(sent!);
                        foreach (var update in page)
                        {
                            sent = update.Id;
                            if (Wanted(update) && await WriteAsync(response, update, token))
                            {
                                return;
                            }
                        }
                        if (page.Count < JobUpdateStream.Batch)
                        {
                            break;
                        }
                    }
                    if (snapshot?.IsTerminal == true)
                    {
                        // The job had ended when the stream opened and its terminal event is not after Last-Event-ID:
                        // the client has it (an EventSource reconnecting after the end).
                        return;
                    }
                }
                else if (snapshot is not null)
                {
                    await WriteEventAsync(response, id: null, snapshot.ToJson(), token);
                    if (snapshot.IsTerminal)
                    {
                        return;
                    }
                }

                while (true)
                {
                    if (!await NextAsync(subscription, response, token))
                    {
                        return; // fell too far behind: the client resumes with Last-Event-ID
                    }
                    while (subscription.Updates.TryRead(out var update))
                    {
                        if (sent is not null && JobUpdateStream.Compare(update.Id, sent) <= 0)
                        {
                            continue;
                        }
                        sent = update.Id;
                        if (Wanted(update) && await WriteAsync(response, update, token))
                        {
                            return;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The client went away, or the service stops.
            }
            catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
            {
                // Redis went away during the catch-up: the client reconnects with its Last-Event-ID.
            }
        }

        private bool Wanted(StreamedUpdate update) => jobId is null || update.JobId == jobId;

        /// <returns>True when this was the job's terminal event (a one-job stream ends there; a frontend notice never
        /// ends it).</returns>
        private async Task<bool> WriteAsync(HttpResponse response, StreamedUpdate update, CancellationToken token)
        {
            if (update.IsFrontendNotice)
            {
                await WriteEventAsync(response, update.Id, update.Json, token, FrontendNoticeEvent);
                return false;
            }
            await WriteEventAsync(response, update.Id, update.Json, token);
            return jobId is not null && JobJson.TryDeserialize(update.Json, JobJson.Default.JobUpdate) is { IsTerminal: true };
        }

        /// <summary>Waits for updates, writing a heartbeat each time none came for a while.</summary>
        /// <returns>False when the subscription ended.</returns>
        private async Task<bool> NextAsync(Subscription subscription, HttpResponse response, CancellationToken token)
        {
            while (true)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(token);
                beat.CancelAfter(heartbeat);
                try
                {
                    return await subscription.Updates.WaitToReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    await response.WriteAsync(": heartbeat\n\n", token);
                    await response.Body.FlushAsync(token);
                }
            }
        }

        private static async Task WriteEventAsync(HttpResponse response, string? id, string json, CancellationToken token, string name = UpdateEvent)
        {
            var text = new StringBuilder();
            if (id is not null)
            {
                text.Append("id: ").Append(id).Append('\n');
            }
            text.Append("event: ").Append(name).Append('\n').Append("data: ").Append(json).Append("\n\n");
            await response.WriteAsync(text.ToString(), token);
            await response.Body.FlushAsync(token);
        }
    }
}
