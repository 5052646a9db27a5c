using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using VideoAkka.Pipeline.Jobs;
using static VideoAkka.Http.ProblemTypes;

namespace VideoAkka.Http.OpenApi;

/// <summary>
/// What the API reference says about each route: its name, summary, description, tag, bodies and every problem it can
/// answer. Kept here so the handlers stay thin; each Map call applies one of these.
/// </summary>
public static class RouteDocs
{
    public const string JobsTag = "Jobs";
    public const string ListsTag = "Lists";
    public const string EventsTag = "Events";
    public const string HealthTag = "Health";

    private const string StatusesLink = "See the **JobStatus** schema (and the README's \"Job statuses\") for what each status means.";

    /// <summary>Every /orchestrate route: the API key (when keys are set) and the shutdown gate.</summary>
    public static RouteGroupBuilder DescribeOrchestrateGroup(this RouteGroupBuilder group) =>
        group.WithProblems(ApiKeyRequired, ServiceStopping, QueueUnavailable);

    public static RouteHandlerBuilder DescribeStart(this RouteHandlerBuilder route) => route
        .Describe("StartJob", JobsTag, "Submit a video job",
            $$"""
            Queues a job made of a narration `script` and scene `prompts` (the seed's contract, kept exactly). Answers
            202 with `{"job_id", "status": "queued"}` and `Location: /orchestrate/status/{job_id}`. The body is read as
            UTF-8 JSON of at most 1 MiB and 10 000 values; a bad field answers 400 `invalid-request` with `errors`
            naming it. {{StatusesLink}}
            """)
        .WithProblems(MalformedJson, InvalidRequest, BodyTooComplex, BodyTooLarge, UnsupportedMediaType, RunIdBusy, QueueFull)
        .AddOpenApiOperationTransformer((operation, context, _) =>
        {
            JobRequestSchema.AddTo(context.Document!);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The job (samples/demo.json is the example).",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = new OpenApiSchemaReference(JobRequestSchema.Name, context.Document),
                        Example = System.Text.Json.Nodes.JsonNode.Parse(JobRequestSchema.Example),
                    },
                },
            };
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder DescribeStatus(this RouteHandlerBuilder route) => route
        .Describe("GetJobStatus", JobsTag, "Read a job's record",
            $"""
            The job record: its status, the stage running now and its progress (0..1, merged live from the worker),
            times, error, the files it made, its webhook delivery and the request as submitted (`payload`). {StatusesLink}
            """)
        .Produces<JobRecord>(StatusCodes.Status200OK)
        .WithProblems(UnknownJob);

    public static RouteHandlerBuilder DescribeVideo(this RouteHandlerBuilder route) => route
        .Describe("DownloadVideo", JobsTag, "Download a job's video",
            """
            Streams the completed job's `stitched_subtitled.mp4` as `video/mp4` with HTTP range support, so a browser's
            `<video>` can seek: a `Range: bytes=...` request answers 206 with that part, a range past the end 416 with
            `Content-Range: bytes */{length}`.
            """)
        .WithProblems(UnknownJob, VideoGone, VideoNotReady, JobRecordUnreadable)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            DescribeVideoResponses(operation, withBody: true);
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder DescribeVideoHead(this RouteHandlerBuilder route) => route
        .Describe("VideoLength", JobsTag, "Read a job's video length",
            "As GET /orchestrate/video/{job_id} without the body: `Content-Length` and `Accept-Ranges`, for players and download managers.")
        .WithProblems(UnknownJob, VideoGone, VideoNotReady, JobRecordUnreadable)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            DescribeVideoResponses(operation, withBody: false);
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder DescribeVideoLink(this RouteHandlerBuilder route) => route
        .Describe("LinkVideo", JobsTag, "Get a link to a job's video",
            $"""
            A URL of the job's video that opens without the `X-API-Key` header, for a browser's `<video>` and download
            link (which cannot send one). With API keys set it carries a `token` for this job's video only (GET and HEAD,
            ranges included), valid {(int)VideoTokens.Lifetime.TotalMinutes} minutes and signed with a key derived from the
            API keys; without keys it is the plain URL and `expires_at` is null. Asking for one needs the key.
            """)
        .Produces<VideoLinkResponse>(StatusCodes.Status200OK)
        .WithProblems(UnknownJob);

    public static RouteHandlerBuilder DescribeSceneThumbnail(this RouteHandlerBuilder route) => route
        .Describe("SceneThumbnail", JobsTag, "Read a scene's image",
            """
            The PNG image of scene `index` (1 = the first of the job's `prompts`) as soon as the worker has made it, so a
            page can show each scene while the job runs; 404 `thumbnail-not-ready` before. An image left in the folder by
            an earlier job with the same run_id is never served. `ETag` and `Last-Modified` make asking again cheap.
            """)
        .Produces(StatusCodes.Status200OK, contentType: "image/png")
        .WithProblems(UnknownJob, UnknownScene, ThumbnailNotReady, JobRecordUnreadable);

    public static RouteHandlerBuilder DescribeCancel(this RouteHandlerBuilder route) => route
        .Describe("CancelJob", JobsTag, "Cancel a job",
            $"""
            Stops a job. A queued one is cancelled at once; a running one is stopped by its worker (its ComfyUI prompts,
            ffmpeg and espeak-ng ended, no final video left), which this request waits for up to 10 s: 200 with
            `"status": "cancelled"` (again 200 for a job already cancelled), or 202 with `"status": "cancelling"` when
            the worker has not confirmed it yet. The job ends `cancelled`, with no dead-letter entry and a
            `job_cancelled` webhook. {StatusesLink}
            """)
        .WithProblems(UnknownJob, JobFinished, JobRecordUnreadable);

    public static RouteHandlerBuilder DescribeRetry(this RouteHandlerBuilder route) => route
        .Describe("RetryJob", JobsTag, "Retry a failed or cancelled job",
            $"""
            Queues a failed or cancelled job again under the same job id (202, again 202 for a job already queued again).
            The worker resumes it from its events, so every part still valid is not made again; its dead-letter entry is
            removed. Admitted like a submission: 429 when the queue is full. {StatusesLink}
            """)
        .WithProblems(UnknownJob, RunIdBusy, JobNotRetryable, JobRecordUnreadable, QueueFull);

    public static RouteHandlerBuilder DescribeJobs(this RouteHandlerBuilder route) => route
        .Describe("ListJobs", ListsTag, "List recent jobs",
            $"""
            Recent jobs, newest first, without their payloads. Pass `next_cursor` back as `cursor` for the next page
            (`null` on the last). {StatusesLink}
            """)
        .WithProblems(InvalidQuery)
        .AddOpenApiOperationTransformer((operation, context, _) =>
        {
            DescribeQuery(operation, "status", "Only jobs with this status.", new OpenApiSchemaReference(nameof(JobStatus), context.Document));
            DescribeLimitAndCursor(operation);
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder DescribeDeadLetter(this RouteHandlerBuilder route) => route
        .Describe("ListDeadLetter", ListsTag, "List the dead letter",
            "The seed's `{job_id, payload, error}` entry of every failed job, newest first (the newest 10 000 are kept), with their `total`.")
        .WithProblems(InvalidQuery)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            DescribeLimitAndCursor(operation);
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder DescribeAllEvents(this RouteHandlerBuilder route) => route
        .Describe("StreamAllEvents", EventsTag, "Follow every job's progress",
            $$"""
            Server-Sent Events: every change of any job's status, stage and progress as it is written, each as
            `id: {stream id}`, `event: update` and a `data:` line holding one **JobUpdate** JSON. Reconnect with
            `Last-Event-ID` (an EventSource does it by itself) to get every update after it first, none missed, none
            twice. A `: heartbeat` comment comes every 15 s while nothing happens. {{StatusesLink}}
            """)
        .Produces<JobUpdate>(StatusCodes.Status200OK, "text/event-stream")
        .WithProblems(InvalidLastEventId)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            DescribeLastEventId(operation);
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder DescribeJobEvents(this RouteHandlerBuilder route) => route
        .Describe("StreamJobEvents", EventsTag, "Follow one job's progress",
            $"""
            As GET /orchestrate/events for one job: it opens with the job's current state (an event without an id) and
            ends after its terminal event (completed, failed or cancelled); a reconnect after that ends at once. {StatusesLink}
            """)
        .Produces<JobUpdate>(StatusCodes.Status200OK, "text/event-stream")
        .WithProblems(InvalidLastEventId, UnknownJob, JobRecordUnreadable)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            DescribeLastEventId(operation);
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder DescribeFrontendJobUpdate(this RouteHandlerBuilder route) => route
        .Describe("FrontendJobUpdate", EventsTag, "Pass a job update to open pages",
            $$"""
            The seed's arrow from n8n to the frontend: n8n's "job finished" workflow posts `{"job_id", "status"}` here
            (exactly these two fields, at most {{FrontendWebhookApi.MaxBodyBytes}} bytes), and every open
            GET /orchestrate/events stream gets it as a `job-update` event with `{"job_id", "status", "received_at"}`.
            It is n8n's word, passed on: it changes nothing in the job. Answers 202 with the event's id. Behind the API
            key like /orchestrate. {{StatusesLink}}
            """)
        .Produces<FrontendNoticeAck>(StatusCodes.Status202Accepted)
        .WithProblems(ApiKeyRequired, ServiceStopping, QueueUnavailable, MalformedJson, BodyTooComplex, InvalidJobUpdate,
            UnsupportedMediaType, BodyTooLarge, UnknownJob);

    public static RouteHandlerBuilder DescribeLive(this RouteHandlerBuilder route) => route
        .Describe("Live", HealthTag, "Liveness",
            "Answers while the process runs, even while it stops (the only route the shutdown gate leaves open).");

    public static RouteHandlerBuilder DescribeReady(this RouteHandlerBuilder route) => route
        .Describe("Ready", HealthTag, "Readiness",
            """
            Answers 200 when Redis answers, with `"queue": "ok"` or `"saturated"` (still 200 when saturated: every API
            instance sees the same queue, and taking them all out of rotation would hide the 429 and the cancel route).
            """)
        .Produces<HealthApi.ReadyResponse>(StatusCodes.Status200OK)
        .WithProblems(QueueUnavailable, EmbeddedRedisRestarting, ServiceStopping);

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder route, string name, string tag, string summary, string description) =>
        route.WithName(name).WithTags(tag).WithSummary(summary).WithDescription(description);

    private static void DescribeVideoResponses(OpenApiOperation operation, bool withBody)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = VideoTokens.QueryName,
            In = ParameterLocation.Query,
            Description = "Instead of the X-API-Key header: the token of a link from POST /orchestrate/video/{job_id}/link.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Range",
            In = ParameterLocation.Header,
            Description = "A byte range such as `bytes=0-1023`.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        var content = withBody ? new Dictionary<string, OpenApiMediaType> { ["video/mp4"] = new() { Schema = binary } } : null;
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse { Description = "The whole video.", Content = content, Headers = VideoHeaders() };
        operation.Responses["206"] = new OpenApiResponse { Description = "The range asked for.", Content = content, Headers = VideoHeaders() };
        operation.Responses["416"] = new OpenApiResponse
        {
            Description = "The range is past the end; `Content-Range: bytes */{length}` gives the length.",
            Headers = new Dictionary<string, IOpenApiHeader> { ["Content-Range"] = StringHeader("bytes */{length}") },
        };
    }

    private static Dictionary<string, IOpenApiHeader> VideoHeaders() => new()
    {
        ["Accept-Ranges"] = StringHeader("Always `bytes`."),
        ["Content-Range"] = StringHeader("On 206: which bytes of how many."),
        ["Content-Length"] = new OpenApiHeader { Description = "Bytes in this answer.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
    };

    private static OpenApiHeader StringHeader(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };

    private static void DescribeLimitAndCursor(OpenApiOperation operation)
    {
        DescribeQuery(operation, "limit", "Entries per page, 1 to 100 (default 20).",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "100", Default = 20 });
        DescribeQuery(operation, "cursor", "The `next_cursor` of the previous page.", new OpenApiSchema { Type = JsonSchemaType.String });
    }

    /// <summary>Replaces the generated query parameter's schema and description (the handler binds plain strings and
    /// numbers, to answer bad values with its own problem).</summary>
    private static void DescribeQuery(OpenApiOperation operation, string name, string description, IOpenApiSchema schema)
    {
        if (operation.Parameters?.FirstOrDefault(p => p.Name == name && p.In == ParameterLocation.Query) is OpenApiParameter parameter)
        {
            parameter.Description = description;
            parameter.Schema = schema;
        }
    }

    private static void DescribeLastEventId(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Last-Event-ID",
            In = ParameterLocation.Header,
            Description = "The id of the last event received: the stream starts after it.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]+-[0-9]+$" },
        });
        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
        {
            response.Description = "A stream of `update` events, each event's `data` one JobUpdate (the schema shown), and `job-update` events, "
                + "each `data` one `{job_id, status, received_at}` notice posted to POST /frontend/webhook/job-update.";
        }
    }
}
