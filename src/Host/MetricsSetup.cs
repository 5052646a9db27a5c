using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Host;

/// <summary>
/// /metrics for Prometheus, through OpenTelemetry: the "VideoAkka" meter (see <see cref="PipelineMetrics"/>), ASP.NET
/// Core's HTTP server metrics and the .NET runtime's. Every process serves it; an API process also samples the queue.
/// </summary>
public static class MetricsSetup
{
    public const string Path = VideoAkka.Http.OpenApi.MetricsRouteDocs.Path;

    public static IServiceCollection AddVideoAkkaMetrics(this IServiceCollection services, bool sampleQueue, RedisKeys keys, TimeSpan sampleInterval)
    {
        // The meter comes from this service's own IMeterFactory, which disposes it with the service.
        services.AddSingleton(provider => new PipelineMetrics(provider.GetRequiredService<IMeterFactory>().Create(PipelineMetrics.MeterName)));
        if (sampleQueue)
        {
            services.AddHostedService(provider => new QueueSampler(provider.GetRequiredService<IConnectionMultiplexer>(), keys,
                provider.GetRequiredService<PipelineMetrics>(), sampleInterval, provider.GetRequiredService<ILogger<QueueSampler>>()));
        }
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("videoakka"))
            .WithMetrics(metrics => metrics
                .AddMeter(PipelineMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        services.ConfigureOpenTelemetryMeterProvider((provider, builder) =>
        {
            // A listener hears every meter of a name in the process. Meters made by another service's factory (a second
            // service in the same process, as in the specs) are that service's to report, not this one's.
            var own = provider.GetRequiredService<IMeterFactory>();
            builder.AddView(instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, own)
                ? null
                : MetricStreamConfiguration.Drop);
        });
        return services;
    }

    /// <summary>Open like the health routes (Prometheus scrapes without an API key); it carries no URL, key or job id.</summary>
    public static IEndpointRouteBuilder MapVideoAkkaMetrics(this IEndpointRouteBuilder app)
    {
        // GET only: the API reference documents it method by method (MetricsRouteDocs).
        app.MapPrometheusScrapingEndpoint(Path).WithMetadata(new Microsoft.AspNetCore.Routing.HttpMethodMetadata([HttpMethods.Get]));
        return app;
    }
}
