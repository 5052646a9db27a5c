using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Captions;
using VideoAkka.Pipeline.Media.Speech;
using VideoAkka.Pipeline.Notify;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Graph;

/// <summary>What the worker is built from: its settings and its adapters to the outside world.</summary>
/// <param name="Redis">For job records and the queue.</param>
/// <param name="BlockingRedis">Dedicated to the blocking pop (see <see cref="RedisQueueSource"/>).</param>
/// <param name="DataRoot">DATA_SHARED_BASE: job folders are created directly under it.</param>
public sealed record WorkerServices(
    PipelineSettings Settings,
    IConnectionMultiplexer Redis,
    IConnectionMultiplexer BlockingRedis,
    IJobStore Store,
    ISceneGenerator Generator,
    IVoiceovers Voiceovers,
    ICaptionFiles Captions,
    Ffprobe Probe,
    IFinalRender Renderer,
    WebhookNotifier Notifier,
    string DataRoot,
    ILoggerFactory Logging,
    TimeProvider Clock,
    PipelineMetrics Metrics)
{
    /// <summary>This process's claim on its worker id (see <see cref="WorkerLease"/>): one per process, kept across
    /// restarts of the worker's actor.</summary>
    public string ClaimToken { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Measures each render before its job is completed (the qc stage).</summary>
    public required Media.Qc.IQualityCheck QualityCheck { get; init; }
}
