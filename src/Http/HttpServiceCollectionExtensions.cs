using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace VideoAkka.Http;

public static class HttpServiceCollectionExtensions
{
    /// <summary>The API's services: problem details for every error, and snake_case JSON (the seed's field names).</summary>
    public static IServiceCollection AddOrchestrateApi(this IServiceCollection services, HttpSettings settings)
    {
        services.AddSingleton(settings);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default);
        });
        return services;
    }
}
