using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VideoAkka.Http;

/// <summary>
/// From the moment the service is asked to stop (SIGTERM), every request but liveness is answered 503 with Retry-After
/// and a problem body, while the listener stays open for the worker's drain: a client, or a load balancer reading
/// /healthz/ready, is told to go elsewhere instead of finding the connection refused or a job accepted by an
/// instance on its way out. Jobs submitted to another instance are safe in Redis.
/// </summary>
public static class ShutdownGate
{
    public static IApplicationBuilder UseShutdownGate(this IApplicationBuilder app)
    {
        var stopping = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        // Not async: every request passes through, and handing on next's own task costs no state machine.
        return app.Use((context, next) =>
            stopping.IsCancellationRequested && !context.Request.Path.StartsWithSegments(HealthApi.LivePath, StringComparison.Ordinal)
                ? Problems.Stopping(context.Response).ExecuteAsync(context)
                : next(context));
    }
}
