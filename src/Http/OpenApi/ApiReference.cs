using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace VideoAkka.Http.OpenApi;

/// <summary>
/// The API's reference: an OpenAPI document generated from the mapped endpoints (with the annotations of
/// <see cref="RouteDocs"/> and the transformers beside this file) and the Scalar page that renders it. Both are
/// public: they describe the API, they act on nothing, and a client needs them before it has a key.
/// </summary>
public static class ApiReference
{
    public const string DocumentName = "v1";

    public const string DocumentPath = "/openapi/" + DocumentName + ".json";

    public const string DocsPath = "/docs";

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer<ApiDocumentTransformer>();
            options.AddOperationTransformer<ProblemResponsesTransformer>();
            options.AddSchemaTransformer<JobStatusSchema>();
            options.AddSchemaTransformer<FieldSchemas>();
        });

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath); // one document: any other name is an unknown path (a 404 problem)
        app.MapScalarApiReference(DocsPath, scalar => scalar
            .WithTitle("VideoAkka API")
            .WithOpenApiRoutePattern(DocumentPath)
            .AddDocument(DocumentName)
            // Every asset from this service: the bundle is embedded in Scalar.AspNetCore and served under /docs, and
            // nothing is fetched from a CDN or sent out (fonts, telemetry, the AI agent, MCP), since operators often
            // have no internet.
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools() // its toolbar links to Scalar's hosted services
            .AddPreferredSecuritySchemes(ApiDocumentTransformer.ApiKeyScheme));
        return app;
    }
}
