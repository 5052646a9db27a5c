using Microsoft.OpenApi;

namespace VideoAkka.Http.OpenApi;

/// <summary>
/// GET /metrics in the API reference. The route is OpenTelemetry's Prometheus exporter (a request-delegate endpoint,
/// which the generator does not list by itself), so its operation is written here, beside the path it is mapped at.
/// </summary>
public static class MetricsRouteDocs
{
    public const string Path = "/metrics";

    public static void AddTo(OpenApiDocument document)
    {
        document.Paths ??= [];
        document.Paths[Path] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "Metrics",
                    Summary = "Prometheus metrics",
                    Description = """
                        The service's metrics in the Prometheus text format, for a scraper: queue depth, jobs in processing,
                        jobs finished by outcome, stage durations (histograms) and work in flight per stage, ComfyUI busy
                        fraction per instance, webhook deliveries by result, HTTP requests, and the .NET runtime's. Open
                        without an API key like the health routes; no label holds a job id, URL, key or Redis address.
                        The README's "Metrics and logs" lists every metric.
                        """,
                    Tags = new HashSet<OpenApiTagReference> { new(RouteDocs.HealthTag, document) },
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "The metrics, in the Prometheus text exposition format.",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                            },
                        },
                    },
                },
            },
        };
    }
}
