using Akka.Hosting;
using StackExchange.Redis;
using VideoAkka.Http;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Notify;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Host;

/// <summary>The composition root: settings are read and validated, adapters built, the API mapped and the worker's
/// pipeline actor started through Akka.Hosting.</summary>
public static class VideoAkkaApp
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static async Task<WebApplication> BuildAsync(ServiceOptions options, string[]? args = null)
    {
        var (hocon, hoconSource) = HoconFile.Load(options.ConfigFile, options.EffectiveHoconOverrides);
        var webhookUrl = WebhookSettings.ParseUrl(options.WebhookUrl);
        var settings = PipelineSettings.Create(hocon, webhookUrl);
        if (options.ComfyUiUrl is not null)
        {
            throw new NotSupportedException(
                $"COMFYUI_URL is set ({options.ComfyUiUrl}), but the ComfyUI backend is not built yet. Unset COMFYUI_URL to render drafts with ffmpeg.");
        }
        var dataRoot = Path.GetFullPath(options.DataRoot);
        Directory.CreateDirectory(dataRoot);

        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseUrls(options.Urls ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? DefaultUrls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });

        var owned = new OwnedResources();
        WebApplication app;
        try
        {
            RedisServerProcess? embeddedRedis = null;
            ConfigurationOptions redisOptions;
            if (options.RedisUrl is null)
            {
                embeddedRedis = owned.Own(await RedisServerProcess.StartAsync(Path.Combine(dataRoot, ".redis")));
                redisOptions = ConfigurationOptions.Parse(embeddedRedis.ConnectionString);
            }
            else
            {
                redisOptions = RedisUrl.Parse(options.RedisUrl);
            }
            redisOptions.AbortOnConnectFail = false;
            var redis = owned.Own(await ConnectionMultiplexer.ConnectAsync(redisOptions));

            var services = builder.Services;
            services.AddHostedService(_ => owned); // before Akka: stopped after it
            services.AddSingleton<IConnectionMultiplexer>(redis);
            services.AddSingleton<IJobStore>(new RedisJobStore(redis, settings.Queue.Keys));
            services.AddOrchestrateApi(new HttpSettings(dataRoot));
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton(settings);

            if (options.Role != ServiceRole.Api)
            {
                var blockingRedis = owned.Own(await ConnectionMultiplexer.ConnectAsync(RedisUrl.ForBlocking(redisOptions, settings.Queue.BlockTimeout)));
                services.AddAkka("videoakka", (akka, provider) =>
                {
                    akka.AddHocon(hocon, HoconAddMode.Prepend);
                    akka.ConfigureLoggers(loggers => loggers.AddLoggerFactory());
                    akka.AddVideoPipeline(sp => CreateWorker(sp, settings, redis, blockingRedis, dataRoot, owned), provider);
                });
            }
            hoconSource = $"{hoconSource ?? "(defaults)"}, redis {(embeddedRedis is null ? "from REDIS_URL" : $"embedded on port {embeddedRedis.Port}")}";
            app = builder.Build();
        }
        catch
        {
            await owned.DisposeAsync(); // never leave an embedded redis-server running behind a failed start
            throw;
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthApi();
        if (options.Role != ServiceRole.Worker)
        {
            app.MapOrchestrateApi();
        }
        app.Logger.LogInformation("VideoAkka ({Role}): data in {DataRoot}, config {Config}, generator {Generator}",
            options.Role, dataRoot, hoconSource, "draft renderer (ffmpeg, no GPU)");
        return app;
    }

    private static WorkerServices CreateWorker(IServiceProvider provider, PipelineSettings settings, IConnectionMultiplexer redis, IConnectionMultiplexer blockingRedis, string dataRoot, OwnedResources owned)
    {
        var logging = provider.GetRequiredService<ILoggerFactory>();
        var tools = new ToolRunner(settings.Tools);
        return new WorkerServices(
            settings,
            redis,
            blockingRedis,
            provider.GetRequiredService<IJobStore>(),
            new DraftRenderer(tools),
            new EspeakVoiceover(tools),
            new FinalRenderer(tools),
            owned.Own(new WebhookNotifier(settings.Webhook, logging.CreateLogger<WebhookNotifier>(), TimeProvider.System)),
            dataRoot,
            logging,
            TimeProvider.System);
    }
}
