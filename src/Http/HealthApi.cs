using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using VideoAkka.Http.OpenApi;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Http;

/// <summary>Liveness (the process answers) and readiness (Redis answers and the queue is not full; an embedded Redis is
/// not being restarted), for load balancers and orchestrators. Both stay open when API keys are set.</summary>
public static class HealthApi
{
    public const string LivePath = "/healthz/live";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(LivePath, () => TypedResults.Ok(new LiveResponse("live"))).DescribeLive();
        app.MapGet("/healthz/ready", async (IJobStore store, HttpSettings settings, HttpResponse response, [FromServices] IEmbeddedRedisStatus? embeddedRedis) =>
        {
            if (embeddedRedis?.IsRestarting == true)
            {
                return Problems.EmbeddedRedisRestarting(response);
            }
            try
            {
                // Answered within a second, as a load balancer's probe expects (Kubernetes gives up after one): a
                // connection to a Redis that just died would otherwise hold the answer for its whole command timeout.
                var waiting = await store.QueueLengthAsync().WaitAsync(ReadyTimeout);
                // Still ready: every API instance sees the same queue, and taking them all out of rotation would hide the
                // 429 (and the cancel that empties the queue) behind a load balancer's own error.
                return Results.Ok(new ReadyResponse("ready", settings.MaxQueueLength > 0 && waiting >= settings.MaxQueueLength ? "saturated" : "ok"));
            }
            catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
            {
                return Problems.QueueUnavailable(response);
            }
        }).DescribeReady();
        return app;
    }

    public sealed record LiveResponse(string Status);

    /// <param name="Queue">"ok", or "saturated" when videoakka.api.max-queue-length jobs wait.</param>
    public sealed record ReadyResponse(string Status, string Queue);
}
