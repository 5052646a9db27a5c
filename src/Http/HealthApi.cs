using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Http;

/// <summary>Liveness (the process answers) and readiness (Redis answers), for load balancers and orchestrators.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz/live", () => TypedResults.Ok(new { status = "live" }));
        app.MapGet("/healthz/ready", async (IConnectionMultiplexer redis) =>
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                return Results.Ok(new { status = "ready" });
            }
            catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
            {
                return Problems.QueueUnavailable();
            }
        });
        return app;
    }
}
