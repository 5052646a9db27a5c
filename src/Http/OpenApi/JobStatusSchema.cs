using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Http.OpenApi;

/// <summary>
/// What each job status means, said once: the <c>JobStatus</c> schema carries it, and the job record, the job list,
/// the event stream and the webhook payload all point at that schema. The README's "Job statuses" table is its human
/// copy (ApiReferenceSpecs checks that the two agree).
/// </summary>
internal sealed class JobStatusSchema : IOpenApiSchemaTransformer
{
    public static ImmutableArray<(JobStatus Status, string Meaning)> Meanings { get; } =
    [
        (JobStatus.Queued, "Waiting in the queue for a worker: just submitted, retried, or handed back by a worker that stopped or was lost."),
        (JobStatus.Running, "A worker is making it; `stage` and `progress` say how far it is."),
        (JobStatus.Completed, "Finished: the video is at `final_video_path` and GET /orchestrate/video/{job_id} serves it. Terminal."),
        (JobStatus.Failed, "Stopped by an error (`error` says which); it is in the dead letter and POST /orchestrate/retry/{job_id} queues it again. Terminal."),
        (JobStatus.Cancelled, "Stopped on request (POST /orchestrate/cancel/{job_id}): not a failure, no dead-letter entry; it can be retried. Terminal."),
    ];

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(JobStatus))
        {
            return Task.CompletedTask;
        }
        var text = new StringBuilder("Where a job is in its life. Terminal statuses (completed, failed, cancelled) end the job's event stream and send its webhook.\n");
        foreach (var (status, meaning) in Meanings)
        {
            text.Append("\n- `").Append(status.ToWire()).Append("`: ").Append(meaning);
        }
        schema.Description = text.ToString();
        schema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        // Read by Scalar and Redoc to show each value's meaning beside it.
        schema.Extensions["x-enumDescriptions"] = new JsonNodeExtension(new JsonObject(
            Meanings.Select(m => KeyValuePair.Create(m.Status.ToWire(), (JsonNode?)JsonValue.Create(m.Meaning)))));
        return Task.CompletedTask;
    }
}
