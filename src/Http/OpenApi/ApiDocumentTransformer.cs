using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using VideoAkka.Pipeline.Notify;

namespace VideoAkka.Http.OpenApi;

/// <summary>
/// What the document says as a whole: the API's description and tags, the API key scheme (required by every
/// /orchestrate operation), every problem type a client can meet (on the ProblemDetails schema), the job request's
/// schema, and the webhook the service sends when a job ends.
/// </summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>The routes behind the key filter: the API itself and the notice route n8n posts to.</summary>
    private static readonly string[] ProtectedPrefixes = ["/orchestrate", "/frontend"];

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "VideoAkka API",
            Version = "v1",
            Description = """
                Turns a narration script and scene prompts into a finished short video. Submit a job with
                `POST /orchestrate/start`, follow it with `GET /orchestrate/status/{job_id}` or the event stream, and download
                the MP4 from `GET /orchestrate/video/{job_id}`; when it ends the service POSTs the webhook below.

                A job's `status` is always one of the values of the **JobStatus** schema (queued, running, completed,
                failed, cancelled), which says what each means. Every error is an RFC 7807 `application/problem+json`
                body whose `type` is one of the URIs listed on the **ProblemDetails** schema.
                """,
        };
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = RouteDocs.JobsTag, Description = "Submit a job, read it, download its video, cancel or retry it." },
            new() { Name = RouteDocs.ListsTag, Description = "Recent jobs and the dead letter, newest first, paged with cursors." },
            new() { Name = RouteDocs.EventsTag, Description = "Live progress as Server-Sent Events." },
            new() { Name = RouteDocs.HealthTag, Description = "Liveness, readiness and metrics, open without an API key." },
        };
        AddApiKeyScheme(document);
        DescribeProblemTypes(document);
        JobRequestSchema.AddTo(document);
        MetricsRouteDocs.AddTo(document);
        await AddWebhookAsync(document, context, cancellationToken);
    }

    private static void AddApiKeyScheme(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeys.Header,
            Description = "One of the keys in VIDEOAKKA_API_KEY (comma-separated while one is rotated out). Needed by every /orchestrate route when keys are set; without keys the API is open to whoever reaches it.",
        };
        foreach (var (path, item) in document.Paths)
        {
            if (!ProtectedPrefixes.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)) || item.Operations is null)
            {
                continue;
            }
            foreach (var operation in item.Operations.Values)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] }];
            }
        }
    }

    /// <summary>The ProblemDetails schema's <c>type</c> enumerates every problem type, with what each means.</summary>
    private static void DescribeProblemTypes(OpenApiDocument document)
    {
        if (document.Components?.Schemas?.TryGetValue("ProblemDetails", out var found) != true || found is not OpenApiSchema problem)
        {
            return;
        }
        problem.Description = "An RFC 7807 problem: `type` says which kind of error it is, `detail` what to change in this request. Some types carry more members: `errors` (field → messages), `job_status`, `existing_job_id`, `later_job_id`.";
        if (problem.Properties?.TryGetValue("type", out var typeSchema) == true && typeSchema is OpenApiSchema type)
        {
            type.Enum = [.. ProblemTypes.All.Select(p => (JsonNode)JsonValue.Create(p.Uri))];
            type.Description = "Which kind of error this is:\n" + string.Join("\n", ProblemTypes.All.Select(p => $"\n- `{p.Uri}` ({p.Status}, {p.Title}): {p.Meaning}"));
            type.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            type.Extensions["x-enumDescriptions"] = new JsonNodeExtension(new JsonObject(
                ProblemTypes.All.Select(p => KeyValuePair.Create(p.Uri, (JsonNode?)JsonValue.Create($"{p.Status} {p.Title}: {p.Meaning}")))));
        }
        problem.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        problem.Extensions[ProblemResponsesTransformer.Extension] = new JsonNodeExtension(new JsonArray([.. ProblemTypes.All.Select(p => (JsonNode)new JsonObject
        {
            ["type"] = p.Uri,
            ["status"] = p.Status,
            ["title"] = p.Title,
            ["meaning"] = p.Meaning,
        })]));
    }

    private static async Task AddWebhookAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var payload = await context.GetOrCreateSchemaAsync(typeof(WebhookPayload), cancellationToken: cancellationToken);
        if (payload.Properties?.TryGetValue("data", out var found) == true && found is OpenApiSchema data)
        {
            // The same status as everywhere else, by reference; and what the payload leaves out when it is null is not
            // required (final_video_path for a job that did not complete, error for one that did not fail).
            data.Properties!["status"] = new OpenApiSchemaReference(nameof(Pipeline.Jobs.JobStatus), document);
            data.Required?.Remove("final_video_path");
            data.Required?.Remove("error");
            data.Description = "`final_video_path` only for a completed job, `error` only for a failed one.";
        }
        payload.Description = "The seed's webhook body.";
        document.AddComponent<IOpenApiSchema>(nameof(WebhookPayload), payload);
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        document.Webhooks["job-outcome"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Post] = new()
                {
                    OperationId = "JobOutcomeWebhook",
                    Summary = "A job ended (sent to VIDEO_COMPLETED_N8N_WEBHOOK_URL)",
                    Description = """
                        Sent once per outcome when a job reaches a terminal status (see **JobStatus**): `event` is `job_completed`,
                        `job_failed` or `job_cancelled`, and `data.status` the matching status. `final_video_path` is present only
                        for a completed job, `error` only for a failed one. Retried with a doubling wait until the receiver
                        answers 2xx (up to 24 h); deduplicate on the `webhook-id` header, the same on every retry. With
                        VIDEOAKKA_WEBHOOK_SECRET set, `webhook-signature` is `v1,` + base64 HMAC-SHA256 over
                        `{webhook-id}.{webhook-timestamp}.{body}` (Standard Webhooks).
                        """,
                    Tags = new HashSet<OpenApiTagReference> { new(RouteDocs.JobsTag, document) },
                    Parameters =
                    [
                        Header("webhook-id", "The outcome's id: the same on every retry of it.", required: true),
                        Header("webhook-timestamp", "Unix seconds when this try was sent.", required: true),
                        Header("webhook-signature", "v1,{base64 HMAC-SHA256}, when VIDEOAKKA_WEBHOOK_SECRET is set.", required: false),
                    ],
                    RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = new OpenApiSchemaReference(nameof(WebhookPayload), document) },
                        },
                    },
                    Responses = new OpenApiResponses
                    {
                        ["2XX"] = new OpenApiResponse { Description = "Delivered: not sent again." },
                        ["default"] = new OpenApiResponse { Description = "Not delivered: tried again after a doubling wait (1 s up to 10 min)." },
                    },
                },
            },
        };
    }

    private static OpenApiParameter Header(string name, string description, bool required) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
