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
    private DateTime _lastRenewal;

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
        // Shutdown (or a restart): in-flight jobs are cancelled first and stay in the processing list, to be taken
        // again on the next start.
        _killSwitch?.Shutdown();
        _stopping.Cancel();
        _stopping.Dispose();
        if (_leaseHeld)
        {
            // Last, and without waiting: the claim is given up for a successor (or simply expires), and any write
            // still in flight of the cancelled work only touches jobs that stay in this worker's list.
            _ = _lease.ReleaseAsync().ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
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
        _lastRenewal = DateTime.UtcNow;
        Timers.StartPeriodicTimer("lease", new RenewLease(), _lease.Ttl / 3);

        var requeued = await AbandonedJobs.RequeueAsync(s.Redis, settings.Queue.Keys, settings.Queue.WorkerId);
        if (requeued > 0)
        {
            _log.Info("Requeued {0} job(s) this worker had taken before it stopped", requeued);
        }

        // The admission cap is per incarnation: work of a stopped graph that still gives slots back cannot unbalance
        // the new one.
        var admission = new JobAdmission(settings.MaxJobsInFlight);
        var ledger = new JobLedger(s.Store, settings.Queue.WorkerId, s.Clock, settings.ProgressInterval, s.Logging.CreateLogger<JobLedger>());
        var lifecycle = new JobLifecycle(s.Store, ledger, new ActiveJobs(), admission, settings, s.Generator.Name, s.DataRoot,
            s.Notifier, s.Logging.CreateLogger<JobLifecycle>(), _stopping.Token);
        var generation = new GenerationSteps(s.Generator, ledger, s.Logging.CreateLogger<GenerationSteps>());
        var media = new MediaSteps(s.Voiceovers, s.Renderer, settings.Render, ledger, s.Logging.CreateLogger<MediaSteps>());

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
            if (await _lease.RenewAsync() || await _lease.TryAcquireAsync())
            {
                _lastRenewal = DateTime.UtcNow;
                return;
            }
            _leaseHeld = false;
            // Another process holds this worker id now and may take this worker's jobs back as abandoned: stop all
            // work at once (restarting this actor cancels it without recording anything) and wait for the id again.
            throw new LeaseLostException($"worker {_services.Settings.Queue.WorkerId} lost its claim on its id to another process");
        }
        catch (Exception ex) when (RedisFault.IsUnavailable(ex))
        {
            _log.Warning("Could not renew the claim on worker id {0}: {1}", _services.Settings.Queue.WorkerId, ex.Message);
            if (DateTime.UtcNow - _lastRenewal > _lease.Ttl)
            {
                throw new LeaseLostException($"worker {_services.Settings.Queue.WorkerId} could not renew its claim for longer than the lease");
            }
        }
    }
}

/// <summary>The worker's claim on its id is gone: its work must stop before another process takes its jobs.</summary>
public sealed class LeaseLostException(string message) : Exception(message);

/// <summary>Registers the worker's pipeline actor with Akka.Hosting.</summary>
public static class VideoPipelineActorHosting
{
    /// <param name="services">Builds the worker's adapters; it gets the actor system for the actors they use (the GPU
    /// scheduler).</param>
    public static AkkaConfigurationBuilder AddVideoPipeline(this AkkaConfigurationBuilder builder, Func<ActorSystem, IServiceProvider, WorkerServices> services, IServiceProvider provider) =>
        builder.WithActors((system, registry, _) =>
        {
            var worker = services(system, provider);
            var actor = system.ActorOf(Props.Create(() => new VideoPipelineActor(worker)), "video-pipeline");
            registry.Register<VideoPipelineActor>(actor);
        });
}
