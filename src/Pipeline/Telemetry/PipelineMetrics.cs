using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VideoAkka.Pipeline.Telemetry;

/// <summary>
/// Every instrument of the "VideoAkka" meter, in one place, so that names, units and labels stay consistent and the
/// README's table can be checked against one file. The instruments are thread-safe; the two snapshots the observable
/// gauges read each have one writer (the queue sampler; the GPU scheduler actor) and are replaced whole, never
/// changed, so a scrape reads them without a lock and never waits on Redis or an actor.
/// Labels are closed sets (stage, outcome, result) or the configured ComfyUI instances: never a job id, URL or secret.
/// </summary>
public sealed class PipelineMetrics
{
    public const string MeterName = "VideoAkka";

    /// <summary>Video work runs from a fraction of a second (a subtitle file) to many minutes (a GPU clip, a long
    /// render): buckets from 0.1 s to 30 min.</summary>
    public static readonly IReadOnlyList<double> StageBuckets =
        [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 900, 1200, 1800];

    private readonly Counter<long> _jobsFinished;
    private readonly Histogram<double> _stageDuration;
    private readonly UpDownCounter<long> _stageInFlight;
    private readonly Counter<long> _webhookDeliveries;
    private QueueSample? _queue;
    private IReadOnlyList<GpuInstanceLoad> _gpu = [];

    /// <param name="meter">The service's "VideoAkka" meter (from its IMeterFactory, which owns and disposes it).</param>
    public PipelineMetrics(Meter meter)
    {
        Meter = meter;
        meter.CreateObservableGauge("videoakka.queue.depth", ObserveQueueDepth, "{job}",
            "Jobs waiting in the Redis queue (LLEN), as last sampled by an API process");
        meter.CreateObservableGauge("videoakka.jobs.processing", ObserveProcessing, "{job}",
            "Jobs running on some worker (leases held), as last sampled by an API process");
        _jobsFinished = meter.CreateCounter<long>("videoakka.jobs.finished", "{job}",
            "Jobs this worker recorded an outcome for, by outcome (completed, failed, cancelled)");
        _stageDuration = meter.CreateHistogram("videoakka.stage.duration", "s",
            "How long one unit of a stage's work took (a scene's image or clip, a job's voiceover, subtitles or render)",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StageBuckets });
        _stageInFlight = meter.CreateUpDownCounter<long>("videoakka.stage.in_flight", "{unit}",
            "Units of work in a stage right now, by stage");
        meter.CreateObservableGauge("videoakka.comfyui.busy_fraction", ObserveGpu, "1",
            "Fraction of a ComfyUI instance's slots our prompts hold (0..1), by instance");
        _webhookDeliveries = meter.CreateCounter<long>("videoakka.webhook.deliveries", "{delivery}",
            "Webhook tries by result: delivered, retried (failed, tried again later), failed (given up)");
    }

    public Meter Meter { get; }

    public void JobFinished(string outcome) => _jobsFinished.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void WebhookTried(string result) => _webhookDeliveries.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>One unit of a stage's work starts: counted in flight until the returned handle is disposed, when its
    /// duration is recorded.</summary>
    public StageUnit StageStarted(string stage) => new(this, stage);

    /// <summary>The queue sampler's latest reading; null while Redis does not answer (the gauges then report nothing
    /// rather than a stale number).</summary>
    public void RecordQueueSample(QueueSample? sample) => Volatile.Write(ref _queue, sample);

    /// <summary>The GPU scheduler's state after a change: the slots each instance has in use.</summary>
    public void PublishGpuLoad(ImmutableArray<GpuInstanceLoad> load) => Volatile.Write(ref _gpu, load);

    private IEnumerable<Measurement<long>> ObserveQueueDepth() =>
        Volatile.Read(ref _queue) is { } sample ? [new Measurement<long>(sample.Queued)] : [];

    private IEnumerable<Measurement<long>> ObserveProcessing() =>
        Volatile.Read(ref _queue) is { } sample ? [new Measurement<long>(sample.Processing)] : [];

    private IEnumerable<Measurement<double>> ObserveGpu() =>
        Volatile.Read(ref _gpu).Select(i => new Measurement<double>(i.Capacity == 0 ? 0 : (double)i.InUse / i.Capacity,
                new KeyValuePair<string, object?>("instance", i.Instance)));

    /// <summary>A unit of stage work being timed; dispose it once, when the unit ends (however it ends).</summary>
    public sealed class StageUnit : IDisposable
    {
        private readonly PipelineMetrics _metrics;
        private readonly KeyValuePair<string, object?> _stage;
        private readonly long _started = Stopwatch.GetTimestamp();
        private int _ended;

        internal StageUnit(PipelineMetrics metrics, string stage)
        {
            _metrics = metrics;
            _stage = new KeyValuePair<string, object?>("stage", stage);
            metrics._stageInFlight.Add(1, _stage);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                _metrics._stageInFlight.Add(-1, _stage);
                _metrics._stageDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, _stage);
            }
        }
    }
}

/// <param name="Queued">LLEN of the queue.</param>
/// <param name="Processing">Jobs holding a lease: running on some worker.</param>
public sealed record QueueSample(long Queued, long Processing);

/// <param name="Instance">The instance as logs show it (its base URL without query; COMFYUI_URL refuses credentials).</param>
public sealed record GpuInstanceLoad(string Instance, int InUse, int Capacity);
