using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoAkka.Http.OpenApi;

namespace VideoAkka.Http;

public static class HttpServiceCollectionExtensions
{
    /// <summary>The API's services: problem details for every error, and snake_case JSON (the seed's field names).</summary>
    /// <param name="keys">The API keys that open /orchestrate (<see cref="ApiKeys.None"/>: open to anyone who reaches it).</param>
    public static IServiceCollection AddOrchestrateApi(this IServiceCollection services, HttpSettings settings, ApiKeys? keys = null)
    {
        services.AddSingleton(settings);
        services.AddSingleton(keys ?? ApiKeys.None);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default);
        });
        services.AddApiReference();
        return services;
    }
}
