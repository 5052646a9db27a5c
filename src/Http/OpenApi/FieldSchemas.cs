using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using VideoAkka.Http;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Http.OpenApi;

/// <summary>
/// Makes the generated schemas say what the wire holds: numbers are numbers (the web JSON defaults would also read
/// them from strings, which the generator then offers as an alternative no client should send), and a job's
/// <c>stage</c>, <c>progress</c> and the short answers' <c>status</c> name their values.
/// </summary>
internal sealed class FieldSchemas : IOpenApiSchemaTransformer
{
    private static readonly string[] Stages =
        [JobStages.Queued, JobStages.Preparing, JobStages.Tts, JobStages.ImageGen, JobStages.VideoGen, JobStages.Subtitle, JobStages.Stitch, JobStages.Qc, JobStages.Done];

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Number | JsonSchemaType.String) && schema.Pattern is not null)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        if (schema.Type is { } integer && integer.HasFlag(JsonSchemaType.Integer | JsonSchemaType.String) && schema.Pattern is not null)
        {
            schema.Type = integer & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        var owner = context.JsonTypeInfo.Type;
        if (owner == typeof(JobRecord) || owner == typeof(JobSummary) || owner == typeof(JobUpdate))
        {
            Describe(schema, "stage", "The stage running now, in order: " + string.Join(", ", Stages) + ".",
                s => s.Enum = [.. Stages.Select(v => (JsonNode)JsonValue.Create(v))]);
            Describe(schema, "progress", "The fraction of the job's work done, 0 to 1, never going back.", s =>
            {
                s.Minimum = "0";
                s.Maximum = "1";
            });
            Describe(schema, "error", "Why the job failed (null unless it did).");
        }
        if (owner == typeof(JobUpdate))
        {
            Describe(schema, "is_terminal", "True for the job's last event (completed, failed or cancelled).");
        }
        if (owner == typeof(StartResponse))
        {
            schema.Description = "A job's id and where it stands now. For the full meaning of a status see JobStatus.";
            Describe(schema, "status", "`queued` (submitted or retried), `cancelled`, or `cancelling` (a cancel its worker has not confirmed yet).",
                s => s.Enum = [JsonValue.Create("queued"), JsonValue.Create("cancelled"), JsonValue.Create("cancelling")]);
        }
        return Task.CompletedTask;
    }

    private static void Describe(OpenApiSchema schema, string property, string description, Action<OpenApiSchema>? more = null)
    {
        if (schema.Properties?.TryGetValue(property, out var found) == true && found is OpenApiSchema field)
        {
            field.Description = description;
            more?.Invoke(field);
        }
    }
}
