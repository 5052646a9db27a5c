using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Host;

/// <summary>Which parts of the service this process runs. The same executable can serve the API, work the queue,
/// or both (the default), so that API and workers can be scaled apart later.</summary>
public enum ServiceRole
{
    Both,
    Api,
    Worker,
}

/// <summary>
/// How the service is started: the seed's environment variables, plus the few knobs tests and the demo need.
/// Read once at startup; every value is checked when the app is built.
/// </summary>
public sealed record ServiceOptions
{
    /// <summary>REDIS_URL; null starts an embedded redis-server under DATA_SHARED_BASE/.redis.</summary>
    public string? RedisUrl { get; init; }

    /// <summary>DATA_SHARED_BASE: job folders are DATA_SHARED_BASE/{run_id}.</summary>
    public string DataRoot { get; init; } = Path.Combine("data", "shared");

    /// <summary>COMFYUI_URL; null uses the draft renderer.</summary>
    public string? ComfyUiUrl { get; init; }

    /// <summary>VIDEO_COMPLETED_N8N_WEBHOOK_URL; null sends no webhook.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>The HOCON file (config/akka.hocon); null looks in ./config and beside the executable.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>HOCON that overrides the file (tests use it to set parallelism and sizes).</summary>
    public string? HoconOverrides { get; init; }

    /// <summary>VIDEOAKKA_WEBHOOK_SECRET: webhooks are signed (Standard Webhooks) when set.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>VIDEOAKKA_API_KEY: one key, or several separated by commas (rotation); every /orchestrate route then
    /// requires one in X-API-Key.</summary>
    public string? ApiKeys { get; init; }

    /// <summary>VIDEOAKKA_TTS_API_KEY: the bearer key of the OpenAI-compatible speech engine (videoakka.tts.openai);
    /// kept out of HOCON files and never logged.</summary>
    public string? SpeechApiKey { get; init; }

    /// <summary>VIDEOAKKA_WEB_ROOT: the built web page (web/dist); null looks for one (see WebPageSettings).</summary>
    public string? WebRoot { get; init; }

    /// <summary>VIDEOAKKA_WORKER_ID: overrides videoakka.worker.id (containers change host names: set it).</summary>
    public string? WorkerId { get; init; }

    /// <summary>The overrides with the environment's values on top.</summary>
    public string? EffectiveHoconOverrides => WorkerId is null
        ? HoconOverrides
        : JobLimits.IsValidRunId(WorkerId)
            ? $"{HoconOverrides}\nvideoakka.worker.id = \"{WorkerId}\""
            : throw new ArgumentException($"VIDEOAKKA_WORKER_ID must be letters, digits, '.', '_' or '-', got \"{WorkerId}\"");

    /// <summary>Listen address; null uses ASPNETCORE_URLS, or http://127.0.0.1:8080.</summary>
    public string? Urls { get; init; }

    public ServiceRole Role { get; init; } = ServiceRole.Both;

    /// <summary>VIDEOAKKA_LOG_FORMAT: text (the default) or json.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>How long after the embedded redis-server died it is started again (doubling while starts fail): not
    /// at once, so a server that dies as it starts is not restarted in a tight loop. Specs lengthen it to watch
    /// readiness report the restart.</summary>
    public TimeSpan EmbeddedRedisRestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    public static ServiceOptions FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>The options named by a set of environment variables: the process's own, or a spec's, which must not
    /// change the process's (specs run side by side).</summary>
    public static ServiceOptions From(Func<string, string?> environment)
    {
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;
        return new()
        {
            RedisUrl = Env("REDIS_URL"),
            DataRoot = Env("DATA_SHARED_BASE") ?? Path.Combine("data", "shared"),
            ComfyUiUrl = Env("COMFYUI_URL"),
            WebhookUrl = Env("VIDEO_COMPLETED_N8N_WEBHOOK_URL"),
            ConfigFile = Env("VIDEOAKKA_CONFIG"),
            WorkerId = Env("VIDEOAKKA_WORKER_ID"),
            WebhookSecret = Env("VIDEOAKKA_WEBHOOK_SECRET"),
            ApiKeys = Env("VIDEOAKKA_API_KEY"),
            SpeechApiKey = Env("VIDEOAKKA_TTS_API_KEY"),
            WebRoot = Env("VIDEOAKKA_WEB_ROOT"),
            Role = ParseRole(Env("VIDEOAKKA_ROLE")),
            LogFormat = LogFormats.Parse(Env("VIDEOAKKA_LOG_FORMAT")),
        };
    }

    /// <summary>VIDEOAKKA_ROLE; unset runs both.</summary>
    public static ServiceRole ParseRole(string? value) => value switch
    {
        null or "both" => ServiceRole.Both,
        "api" => ServiceRole.Api,
        "worker" => ServiceRole.Worker,
        var other => throw new ArgumentException($"VIDEOAKKA_ROLE must be api, worker or both, got \"{other}\""),
    };
}
