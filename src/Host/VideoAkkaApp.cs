using Akka.Hosting;
using System.Collections.Immutable;
using Akka.Actor;
using StackExchange.Redis;
using VideoAkka.Http;
using VideoAkka.Http.OpenApi;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Generation.ComfyUi;
using VideoAkka.Pipeline.Generation.Null;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Qc;
using VideoAkka.Pipeline.Media.Captions;
using VideoAkka.Pipeline.Media.Speech;
using VideoAkka.Pipeline.Media.Music;
using VideoAkka.Pipeline.Notify;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Pipeline.Queue.Persistence;
using VideoAkka.Pipeline.Telemetry;

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
        // Templates and their bindings are checked here, before anything starts: a broken one stops the start.
        var generation = GenerationSettings.Create(hocon.WithFallback(PipelineSettings.DefaultConfig()).GetConfig("videoakka"), options.ComfyUiUrl is not null);
        var comfyUi = generation.Backend != GenerationBackend.ComfyUi
            ? null
            : ComfyUiSettings.Create(hocon.GetConfig("videoakka"), options.ComfyUiUrl!, TemplateFolder(hoconSource));
        var settings = PipelineSettings.Create(hocon, webhookUrl, comfyUi?.TotalCapacity, WebhookSigning.ParseSecret(options.WebhookSecret), options.SpeechApiKey,
            comfyUi?.Speech.Keys.ToHashSet(StringComparer.Ordinal));
        var apiKeys = ApiKeys.Parse(options.ApiKeys);
        var webPage = WebPageSettings.Resolve(options.WebRoot, Directory.GetCurrentDirectory(), AppContext.BaseDirectory);
        var dataRoot = Path.GetFullPath(options.DataRoot);
        Directory.CreateDirectory(dataRoot);

        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        // The host waits for the worker's drain (and the hand-back after it) before it gives up on stopping.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.DrainTimeout + TimeSpan.FromSeconds(20));
        builder.WebHost.UseUrls(options.Urls ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? DefaultUrls);
        // No "Server: Kestrel" on every answer: it tells any client which server software to probe, and is written on
        // each of thousands of submits a second for nobody.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddVideoAkkaConsole(options.LogFormat);

        var owned = new OwnedResources();
        WebApplication app;
        try
        {
            var services = builder.Services;
            services.AddHostedService(_ => owned); // before Akka: stopped after it
            EmbeddedRedis? embeddedRedis = null;
            ConfigurationOptions redisOptions;
            if (options.RedisUrl is null)
            {
                embeddedRedis = owned.Own(await EmbeddedRedis.StartAsync(Path.Combine(dataRoot, ".redis")));
                redisOptions = embeddedRedis.ConnectionOptions();
                services.AddSingleton(embeddedRedis);
                services.AddSingleton<IEmbeddedRedisStatus>(embeddedRedis);
                services.AddHostedService(provider => new EmbeddedRedisSupervisor(
                    embeddedRedis, options.EmbeddedRedisRestartDelay, provider.GetRequiredService<ILogger<EmbeddedRedisSupervisor>>()));
            }
            else
            {
                redisOptions = RedisUrl.Parse(options.RedisUrl);
            }
            redisOptions.AbortOnConnectFail = false;
            var redis = owned.Own(await ConnectionMultiplexer.ConnectAsync(redisOptions));

            services.AddSingleton<IConnectionMultiplexer>(redis);
            services.AddSingleton<IJobStore>(new RedisJobStore(redis, settings.Queue.Keys, outbox: settings.Webhook.Url is not null, settings.Retention));
            services.AddOrchestrateApi(new HttpSettings(dataRoot, AllowPrivateImageUrls: settings.ImageUrls.AllowPrivateNetworks,
                MaxQueueLength: settings.MaxQueueLength) { EventsHeartbeat = settings.EventsHeartbeat, Voices = settings.Speech.Voices, Music = settings.Music.Library }, apiKeys);
            if (options.Role != ServiceRole.Worker)
            {
                services.AddSingleton(new JobUpdateStream(redis, settings.Queue.Keys));
                services.AddSingleton<JobUpdateHub>();
                services.AddHostedService(provider => provider.GetRequiredService<JobUpdateHub>());
            }
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton(settings);
            services.AddVideoAkkaMetrics(sampleQueue: options.Role != ServiceRole.Worker, settings.Queue.Keys, settings.MetricsSampleInterval);

            if (options.Role != ServiceRole.Api)
            {
                var blockingRedis = owned.Own(await ConnectionMultiplexer.ConnectAsync(RedisUrl.ForBlocking(redisOptions, settings.Queue.BlockTimeout)));
                services.AddHostedService<WorkerDrain>();
                services.AddAkka("videoakka", (akka, provider) =>
                {
                    akka.AddHocon(hocon, HoconAddMode.Prepend);
                    // The event journal and snapshot store live in the queue's Redis (see Queue/Persistence).
                    akka.AddHocon(RedisPersistence.ServiceConfig(settings.Queue.Keys), HoconAddMode.Append);
                    akka.AddHocon(JobEventSerializer.Binding, HoconAddMode.Append);
                    // The hand-back waits for the drain: its phase must wait as long.
                    akka.AddHocon($"akka.coordinated-shutdown.phases.service-stop.timeout = {(int)(settings.DrainTimeout.TotalSeconds + 15)}s", HoconAddMode.Prepend);
                    // SIGTERM goes to the host alone: it closes the API's gate, drains the worker (WorkerDrain) while the
                    // listener still answers 503, then stops Akka. Akka's own hook would drain before the gate closes.
                    akka.AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend);
                    // Akka's lines go through the host's loggers, with one timestamp (see AkkaLogBridge).
                    akka.ConfigureLoggers(loggers => loggers.ClearLoggers().AddLogger<AkkaLogBridge>());
                    if (options.LogFormat == LogFormat.Json)
                    {
                        // Akka writes to stdout itself before its loggers start and after they stop: no such line may
                        // break a JSON log.
                        akka.AddHocon("akka.stdout-loglevel = OFF", HoconAddMode.Prepend);
                    }
                    akka.AddVideoPipeline((system, sp) => CreateWorker(system, sp, settings, generation, comfyUi, redis, blockingRedis, dataRoot, owned), provider);
                });
            }
            hoconSource = $"{hoconSource ?? "(defaults)"}, redis {(embeddedRedis is null ? "from REDIS_URL" : $"embedded on 127.0.0.1:{embeddedRedis.Port} (password required, log {embeddedRedis.LogFile})")}";
            app = builder.Build();
        }
        catch
        {
            await owned.DisposeAsync(); // never leave an embedded redis-server running behind a failed start
            throw;
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseShutdownGate();
        app.MapHealthApi();
        app.MapVideoAkkaMetrics();
        if (options.Role != ServiceRole.Worker)
        {
            app.UseWebPage(webPage);
            app.MapOrchestrateApi();
            app.MapApiReference(); // where the API is: a worker-only process has nothing to describe
            app.MapFrontendWebhookApi();
        }
        app.Logger.LogInformation("VideoAkka ({Role}): data in {DataRoot}, config {Config}, generator {Generator}",
            options.Role, dataRoot, hoconSource, generation.Backend switch
            {
                GenerationBackend.Null => "null (placeholder files, no video)",
                _ when comfyUi is not null => "ComfyUI at " + string.Join(", ", comfyUi.Instances.Select(i => $"{i.Display} (capacity {i.Capacity})")),
                _ => "draft renderer (ffmpeg, no GPU)",
            });
        if (generation.Backend == GenerationBackend.Null && options.Role != ServiceRole.Api)
        {
            // Said loudly: a worker on it completes every job without making any video.
            app.Logger.LogWarning("null backend: no video is made (videoakka.generation.backend = null); jobs complete with placeholder files, clip delay {Delay}",
                generation.NullDelay);
        }
        return app;
    }

    /// <summary>Relative template paths start at the folder of config/akka.hocon (or ./config, or config/ beside the
    /// executable when no file was found).</summary>
    private static string TemplateFolder(string? hoconSource) =>
        hoconSource is not null
            ? Path.GetDirectoryName(Path.GetFullPath(hoconSource))!
            : new[] { Path.GetFullPath("config"), Path.Combine(AppContext.BaseDirectory, "config") }.FirstOrDefault(Directory.Exists) ?? Path.GetFullPath("config");

    private static WorkerServices CreateWorker(ActorSystem system, IServiceProvider provider, PipelineSettings settings, GenerationSettings generation, ComfyUiSettings? comfyUi,
        IConnectionMultiplexer redis, IConnectionMultiplexer blockingRedis, string dataRoot, OwnedResources owned)
    {
        var logging = provider.GetRequiredService<ILoggerFactory>();
        var metrics = provider.GetRequiredService<PipelineMetrics>();
        RedisPersistenceConnection.Get(system).Use(redis); // before any persistent actor starts
        if (generation.Backend == GenerationBackend.Null)
        {
            return NullWorker(provider, settings, generation, redis, blockingRedis, dataRoot, owned, logging, metrics);
        }
        var tools = new ToolRunner(settings.Tools);
        var media = new MediaNormalizer(tools);
        var kenBurns = new KenBurnsClip(tools);
        ISceneGenerator backend = new DraftRenderer(tools, kenBurns);
        ComfyUiPromptRunner? prompts = null;
        if (comfyUi is not null)
        {
            var clients = comfyUi.Instances.Select(i => owned.Own(new ComfyUiClient(i, comfyUi.RequestTimeout))).ToImmutableArray();
            var scheduler = system.ActorOf(
                GpuSchedulerActor.Props(comfyUi.Instances, (instance, ct) => clients[instance.Index].ProbeAsync(ct), comfyUi.HealthInterval,
                    metrics.PublishGpuLoad),
                "gpu-scheduler");
            // Registered like every top-level actor, so it is found by type (later: a cluster singleton proxy).
            ActorRegistry.For(system).Register<GpuSchedulerActor>(scheduler);
            prompts = new ComfyUiPromptRunner(comfyUi, new GpuScheduler(scheduler), clients, logging.CreateLogger<ComfyUiPromptRunner>());
            backend = new ComfyUiGenerator(prompts, media);
        }
        var generator = new SceneMaker(backend, owned.Own(new GivenImages(settings.ImageUrls, media)), new GivenClips(media, new Ffprobe(tools)), kenBurns);
        return new WorkerServices(
            settings,
            redis,
            blockingRedis,
            provider.GetRequiredService<IJobStore>(),
            generator,
            Narration(settings.Speech, tools, prompts, logging, owned),
            new CaptionWriter(new EspeakWordTimer(tools)),
            new Ffprobe(tools),
            new FinalRenderer(tools, owned.Own(new MusicSource(settings.Music, settings.ImageUrls.AllowPrivateNetworks))),
            owned.Own(new WebhookNotifier(settings.Webhook, TimeProvider.System)),
            dataRoot,
            logging,
            TimeProvider.System,
            metrics)
        {
            QualityCheck = new QualityCheck(tools, settings.Qc),
        };
    }

    /// <summary>The null backend's worker: every stage runs on placeholders (see <see cref="NullMedia"/>); only the
    /// probe of a resumed job's files still needs ffprobe.</summary>
    private static WorkerServices NullWorker(IServiceProvider provider, PipelineSettings settings, GenerationSettings generation,
        IConnectionMultiplexer redis, IConnectionMultiplexer blockingRedis, string dataRoot, OwnedResources owned, ILoggerFactory logging, PipelineMetrics metrics)
    {
        var media = new NullMedia();
        return new WorkerServices(
            settings,
            redis,
            blockingRedis,
            provider.GetRequiredService<IJobStore>(),
            new NullSceneGenerator(generation.NullDelay),
            media,
            media,
            new Ffprobe(new ToolRunner(settings.Tools)),
            media,
            owned.Own(new WebhookNotifier(settings.Webhook, TimeProvider.System)),
            dataRoot,
            logging,
            TimeProvider.System,
            metrics)
        {
            QualityCheck = media,
        };
    }

    /// <summary>espeak-ng always; the OpenAI-compatible engine when videoakka.tts.openai.url is set; the ComfyUI speech
    /// workflows on the same instances and GPU slots as the scenes, when COMFYUI_URL is set and names one.</summary>
    private static Narrator Narration(SpeechSettings speech, ToolRunner tools, ComfyUiPromptRunner? prompts, ILoggerFactory logging, OwnedResources owned)
    {
        List<ITextToSpeech> engines = [new EspeakEngine(tools)];
        if (speech.OpenAi is { } openAi)
        {
            engines.Add(owned.Own(new OpenAiSpeechEngine(openAi, tools, logging.CreateLogger<OpenAiSpeechEngine>())));
        }
        if (prompts is not null && !prompts.Settings.Speech.IsEmpty)
        {
            engines.Add(new ComfyUiSpeechEngine(prompts, tools));
        }
        return new Narrator(tools, speech, engines);
    }
}
