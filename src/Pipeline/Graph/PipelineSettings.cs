using System.Collections.Immutable;
using Akka.Configuration;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Qc;
using VideoAkka.Pipeline.Media.Speech;
using VideoAkka.Pipeline.Media.Music;
using VideoAkka.Pipeline.Notify;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// Everything the worker is tuned by, read once from HOCON (the embedded reference.conf under config/akka.hocon)
/// and validated here, so a bad value stops the start with a message instead of failing jobs later.
/// </summary>
public sealed record PipelineSettings(
    StageSettings Stages,
    int MaxJobsInFlight,
    QueueSettings Queue,
    TimeSpan ProgressInterval,
    TimeSpan JobTimeout,
    ImmutableDictionary<AspectRatio, (int Width, int Height)> Sizes,
    int Fps,
    double SceneSeconds,
    string Voice,
    RenderSettings Render,
    WebhookSettings Webhook,
    MediaToolSettings Tools,
    ImageUrlSettings ImageUrls,
    int MaxQueueLength = 0,
    Retention? Retention = null,
    TimeSpan? Drain = null)
{
    /// <summary>videoakka.api.events-heartbeat: how often an idle event stream (GET /orchestrate/events) gets a comment.</summary>
    public TimeSpan EventsHeartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>videoakka.api.metrics-sample-interval: how often an API process reads the queue's depth for /metrics.</summary>
    public TimeSpan MetricsSampleInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>videoakka.qc: the limits a render is held to before its job is completed.</summary>
    public QcSettings Qc { get; init; } = QcSettings.Default;
    /// <summary>videoakka.tts: the speech engines and their checks.</summary>
    public SpeechSettings Speech { get; init; } = SpeechSettings.Default;

    /// <summary>videoakka.inputs.music: the music folder and how a music URL is fetched.</summary>
    public MusicSettings Music { get; init; } = MusicSettings.Default;

    /// <summary>videoakka.worker.drain-timeout: how long running jobs get to finish when the worker stops.</summary>
    public TimeSpan DrainTimeout => Drain ?? TimeSpan.FromSeconds(30);

    /// <summary>The GPU stages' parallelism when they are "auto" and no ComfyUI is configured (draft renderer).</summary>
    public const int DraftGenerationParallelism = 2;

    /// <summary>The embedded defaults (reference.conf).</summary>
    public static Config DefaultConfig()
    {
        using var stream = typeof(PipelineSettings).Assembly.GetManifestResourceStream("VideoAkka.Pipeline.reference.conf")
            ?? throw new InvalidOperationException("reference.conf is not embedded");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <param name="config">The whole configuration; "videoakka" is read from it, with the defaults under it.</param>
    /// <param name="webhookUrl">VIDEO_COMPLETED_N8N_WEBHOOK_URL, already validated.</param>
    /// <param name="gpuCapacity">The total capacity of the ComfyUI instances, or null with the draft renderer: the
    /// image-gen and video-gen stages default ("auto") to it, so every GPU slot can be filled.</param>
    /// <param name="webhookSigningKey">The HMAC key from VIDEOAKKA_WEBHOOK_SECRET (see <see cref="WebhookSigning"/>).</param>
    /// <param name="speechApiKey">VIDEOAKKA_TTS_API_KEY, for the OpenAI-compatible speech engine.</param>
    /// <param name="comfyUiSpeech">The ComfyUI speech workflows' names when COMFYUI_URL is set: the comfyui engine's voices.</param>
    public static PipelineSettings Create(Config config, Uri? webhookUrl = null, int? gpuCapacity = null, byte[]? webhookSigningKey = null,
        string? speechApiKey = null, IReadOnlySet<string>? comfyUiSpeech = null)
    {
        var root = config.WithFallback(DefaultConfig()).GetConfig("videoakka");
        var generation = gpuCapacity ?? DraftGenerationParallelism;
        var stages = new StageSettings(
            PositiveOrAuto(root, "stages.image-gen.parallelism", generation),
            PositiveOrAuto(root, "stages.video-gen.parallelism", generation),
            Positive(root, "stages.tts.parallelism"),
            Positive(root, "stages.subtitle.parallelism"),
            Positive(root, "stages.stitch.parallelism"))
        {
            Qc = Positive(root, "stages.qc.parallelism"),
            Timeouts = new StageTimeouts(
                Duration(root, "stages.image-gen.timeout"),
                Duration(root, "stages.video-gen.timeout"),
                Duration(root, "stages.tts.timeout"),
                Duration(root, "stages.subtitle.timeout"),
                Duration(root, "stages.stitch.timeout"))
            {
                Qc = Duration(root, "stages.qc.timeout"),
            },
        };

        var maxInFlight = root.GetInt("worker.max-jobs-in-flight");
        if (maxInFlight < 0)
        {
            throw Invalid("worker.max-jobs-in-flight", "must be 0 (automatic) or more");
        }

        var prefix = root.GetString("redis.key-prefix");
        if (string.IsNullOrWhiteSpace(prefix) || prefix.Any(char.IsWhiteSpace))
        {
            throw Invalid("redis.key-prefix", "must be a non-empty word");
        }
        var workerId = root.GetString("worker.id");
        if (string.IsNullOrWhiteSpace(workerId))
        {
            // New at every start: a restarted worker does not look for its old jobs, the reaper returns them.
            workerId = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";
        }
        var maxAttempts = root.GetInt("worker.max-attempts");
        if (maxAttempts < 1)
        {
            throw Invalid("worker.max-attempts", "must be at least 1");
        }

        var sizes = ImmutableDictionary.CreateBuilder<AspectRatio, (int, int)>();
        foreach (var aspect in Enum.GetValues<AspectRatio>())
        {
            sizes[aspect] = ParseSize(root.GetString($"output.sizes.\"{aspect.ToWire()}\""), aspect);
        }

        var fps = root.GetInt("output.fps");
        if (fps is < JobLimits.MinFps or > JobLimits.MaxFps)
        {
            throw Invalid("output.fps", $"must be from {JobLimits.MinFps} to {JobLimits.MaxFps}");
        }
        var sceneSeconds = root.GetDouble("output.scene-duration");
        if (sceneSeconds is < JobLimits.MinSceneSeconds or > JobLimits.MaxSceneSeconds)
        {
            throw Invalid("output.scene-duration", $"must be from {JobLimits.MinSceneSeconds} to {JobLimits.MaxSceneSeconds}");
        }
        var voice = root.GetString("output.voice");
        if (!JobLimits.VoicePattern().IsMatch(voice ?? ""))
        {
            throw Invalid("output.voice", "must be an espeak-ng voice name");
        }
        var render = new RenderSettings(root.GetString("output.preset"), root.GetInt("output.crf"),
            root.GetDouble("output.loudness"), root.GetDouble("output.true-peak"), root.GetDouble("output.music-gain"));
        render.Validate();

        var records = root.GetTimeSpan("retention.records");
        if (records < TimeSpan.FromMinutes(1) || records > TimeSpan.FromDays(3650))
        {
            throw Invalid("retention.records", "must be a duration from 1 minute to 10 years");
        }
        if (records < Duration(root, "worker.job-timeout"))
        {
            // A run-id guard lasts this long from its job's start; job-timeout bounds only running time, so this is
            // the least it must be, and the 30-day default leaves room for any wait a job sees.
            throw Invalid("retention.records", "must be at least videoakka.worker.job-timeout: a run-id guard must outlive its job");
        }
        var deadLetter = root.GetInt("retention.dead-letter");
        if (deadLetter < 1)
        {
            throw Invalid("retention.dead-letter", "must be at least 1");
        }

        var maxQueueLength = root.GetInt("api.max-queue-length");
        if (maxQueueLength < 0)
        {
            throw Invalid("api.max-queue-length", "must be 0 (no limit) or more");
        }

        var attempts = root.GetInt("webhook.attempts");
        if (attempts < 0)
        {
            throw Invalid("webhook.attempts", "must be 0 (no cap) or more");
        }

        return new PipelineSettings(
            stages,
            maxInFlight == 0 ? stages.Sum : maxInFlight,
            new QueueSettings(new RedisKeys(prefix), workerId, Duration(root, "worker.block-timeout"), Duration(root, "worker.lease"), maxAttempts),
            Duration(root, "worker.progress-interval"),
            Duration(root, "worker.job-timeout"),
            sizes.ToImmutable(),
            fps,
            sceneSeconds,
            voice!,
            render,
            new WebhookSettings(webhookUrl, attempts, Duration(root, "webhook.first-backoff"), Duration(root, "webhook.attempt-timeout"), webhookSigningKey,
                Duration(root, "webhook.max-backoff"), Duration(root, "webhook.give-up-after")),
            new MediaToolSettings(root.GetString("tools.ffmpeg"), root.GetString("tools.ffprobe"), root.GetString("tools.espeak-ng"), Duration(root, "tools.kill-grace")),
            new ImageUrlSettings(
                root.GetBoolean("inputs.image-url.allow-private-networks"),
                Bytes(root, "inputs.image-url.max-bytes"),
                Duration(root, "inputs.image-url.timeout")),
            maxQueueLength,
            new Retention(records, deadLetter, root.GetBoolean("retention.keep-completed-journals")),
            root.GetTimeSpan("worker.drain-timeout") is var drain && drain >= TimeSpan.Zero && drain <= TimeSpan.FromHours(1)
                ? drain
                : throw Invalid("worker.drain-timeout", "must be a duration from 0s to 1h"))
        {
            EventsHeartbeat = Duration(root, "api.events-heartbeat"),
            Qc = QcSettings.Create(root),
            MetricsSampleInterval = Duration(root, "api.metrics-sample-interval"),
            Speech = SpeechSettings.Create(root, speechApiKey, comfyUiSpeech),
            Music = new MusicSettings(root.GetString("inputs.music.folder"), Bytes(root, "inputs.music.max-bytes"), Duration(root, "inputs.music.timeout")),
        };
    }

    public VideoFormat FormatFor(JobOptions options)
    {
        var (width, height) = Sizes[options.Aspect];
        return new VideoFormat(width, height, options.Fps ?? Fps);
    }

    private static int PositiveOrAuto(Config root, string path, int auto) =>
        root.GetString(path) == "auto" ? auto : Positive(root, path);

    private static long Bytes(Config root, string path)
    {
        var value = root.GetByteSize(path);
        return value is > 0 ? value.Value : throw Invalid(path, "must be a positive size such as 20m");
    }

    private static int Positive(Config root, string path)
    {
        var value = root.GetInt(path);
        return value >= 1 ? value : throw Invalid(path, "must be at least 1");
    }

    /// <summary>Timers and cancellation sources take at most int.MaxValue milliseconds (about 24 days).</summary>
    private static readonly TimeSpan LongestDuration = TimeSpan.FromDays(7);

    private static TimeSpan Duration(Config root, string path)
    {
        var value = root.GetTimeSpan(path);
        return value > TimeSpan.Zero && value <= LongestDuration
            ? value
            : throw Invalid(path, $"must be a positive duration of at most {LongestDuration.TotalDays} days");
    }

    private static (int, int) ParseSize(string? text, AspectRatio aspect)
    {
        var parts = (text ?? "").Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h)
            && w is >= 16 and <= 7680 && h is >= 16 and <= 7680 && w % 2 == 0 && h % 2 == 0)
        {
            return (w, h);
        }
        throw Invalid($"output.sizes.\"{aspect.ToWire()}\"", $"must be WIDTHxHEIGHT with even numbers from 16 to 7680, got \"{text}\"");
    }

    private static ArgumentException Invalid(string path, string message) => new($"videoakka.{path} {message}");
}
