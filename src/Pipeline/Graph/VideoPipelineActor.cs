using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// Owns the worker's graph: materializes it with its own materializer (so the stream lives and dies with the actor),
/// and restarts it if it ever fails. Jobs failing never fail the stream; only a broken pipeline does.
/// </summary>
public sealed class VideoPipelineActor : ReceiveActor, IWithTimers
{
    private readonly WorkerServices _services;
    private readonly WorkerLease _lease;
    private bool _leaseHeld;
    private bool _waitLogged;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private CancellationTokenSource _stopping = new();
    private UniqueKillSwitch? _killSwitch;
    private JobAdmission? _admission;

    public VideoPipelineActor(WorkerServices services)
    {
        _services = services;
        var queue = services.Settings.Queue;
        _lease = new WorkerLease(services.Redis, queue.Keys, queue.WorkerId, queue.LeaseTtl);
        ReceiveAsync<Start>(_ => StartAsync());
        ReceiveAsync<RenewLease>(_ => RenewLeaseAsync());
        Receive<StreamEnded>(ended =>
        {
            if (ended.Error is not null)
            {
                throw new InvalidOperationException("the video pipeline failed", ended.Error);
            }
            _log.Info("Video pipeline completed");
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record Start;

    private sealed record RenewLease;

    private sealed record StreamEnded(Exception? Error);

    protected override void PreStart()
    {
        _stopping = new CancellationTokenSource();
        Self.Tell(new Start());
    }

    protected override void PostStop()
    {
        if (_leaseHeld)
        {
            try
            {
                // Let a successor take the worker id at once rather than after the claim expires.
                _lease.ReleaseAsync().Wait(TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
                // Redis is gone: the claim expires on its own.
            }
        }
        // Shutdown: in-flight jobs are cancelled and stay in the processing list, to be taken again on the next start.
        _killSwitch?.Shutdown();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task StartAsync()
    {
        var s = _services;
        var settings = s.Settings;
        // No ConfigureAwait(false) in this actor: what follows an await needs the actor's context.
        if (!await _lease.TryAcquireAsync())
        {
            if (!_waitLogged)
            {
                _log.Warning("Worker id {0} is claimed by another running worker ({1}); waiting for it to stop. Give each worker its own videoakka.worker.id.",
                    settings.Queue.WorkerId, _lease.Key);
                _waitLogged = true;
            }
            Timers.StartSingleTimer("start", new Start(), _lease.Ttl / 3);
            return;
        }
        _leaseHeld = true;
        Timers.StartPeriodicTimer("lease", new RenewLease(), _lease.Ttl / 3);

        var requeued = await AbandonedJobs.RequeueAsync(s.Redis, settings.Queue.Keys, settings.Queue.WorkerId);
        if (requeued > 0)
        {
            _log.Info("Requeued {0} job(s) this worker had taken before it stopped", requeued);
        }

        _admission = new JobAdmission(settings.MaxJobsInFlight);
        var ledger = new JobLedger(s.Store, settings.Queue.WorkerId, s.Clock, settings.ProgressInterval, s.Logging.CreateLogger<JobLedger>());
        var lifecycle = new JobLifecycle(s.Store, ledger, new ActiveJobs(), _admission, settings, s.Generator.Name, s.DataRoot,
            s.Notifier, s.Logging.CreateLogger<JobLifecycle>(), _stopping.Token);
        var generation = new GenerationSteps(s.Generator, ledger, s.Logging.CreateLogger<GenerationSteps>());
        var media = new MediaSteps(s.Voiceovers, s.Renderer, settings.Render, ledger, s.Logging.CreateLogger<MediaSteps>());

        var admission = _admission;
        // (The admission cap is per incarnation: work of a stopped graph that still gives slots back cannot
        // unbalance the new one.)
        var jobIds = RestartSource
            .OnFailuresWithBackoff(
                () => Source.FromGraph(new RedisQueueSource(s.BlockingRedis, settings.Queue, admission)),
                RestartSettings.Create(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2))
            .ViaMaterialized(KillSwitches.Single<string>(), Keep.Right);

        var (killSwitch, completion) = VideoPipelineGraph
            .Create(jobIds, settings.Stages, settings.MaxJobsInFlight, lifecycle, generation, media)
            .Run(Context.Materializer());
        _killSwitch = killSwitch;
        _ = completion.PipeTo(Self, success: _ => new StreamEnded(null), failure: ex => new StreamEnded(ex));
        _log.Info("Video pipeline running: worker {0}, generator {1}, stages {2}, at most {3} jobs out of Redis",
            settings.Queue.WorkerId, s.Generator.Name, settings.Stages, settings.MaxJobsInFlight);
    }

    private async Task RenewLeaseAsync()
    {
        try
        {
            if (!await _lease.RenewAsync() && !await _lease.TryAcquireAsync())
            {
                _log.Error("Worker {0} lost its claim on its id to another process: it may take this worker's jobs as abandoned",
                    _services.Settings.Queue.WorkerId);
            }
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            _log.Warning("Could not renew the claim on worker id {0}: {1}", _services.Settings.Queue.WorkerId, ex.Message);
        }
    }
}

/// <summary>Registers the worker's pipeline actor with Akka.Hosting.</summary>
public static class VideoPipelineActorHosting
{
    public static AkkaConfigurationBuilder AddVideoPipeline(this AkkaConfigurationBuilder builder, Func<IServiceProvider, WorkerServices> services, IServiceProvider provider) =>
        builder.WithActors((system, registry, _) =>
        {
            var actor = system.ActorOf(Props.Create(() => new VideoPipelineActor(services(provider))), "video-pipeline");
            registry.Register<VideoPipelineActor>(actor);
        });
}
