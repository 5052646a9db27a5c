using StackExchange.Redis;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// Owns the worker's graph: materializes it with its own materializer (so the stream lives and dies with the actor),
/// and restarts it if it ever fails. Jobs failing never fail the stream; only a broken pipeline does. It is also the
/// parent of every running job's <see cref="JobActor"/>, renews their leases (and its claim on its worker id) and runs
/// the <see cref="LeaseReaper"/>. When the service stops it hands its jobs back to the queue, to be resumed elsewhere.
/// </summary>
public sealed class VideoPipelineActor : ReceiveActor, IWithTimers
{
    private readonly WorkerServices _services;
    private readonly WorkerLease _claim;
    private readonly JobLeases _leases;
    private readonly LeaseReaper _reaper;
    private readonly Dictionary<IActorRef, (string JobId, JobLease Lease)> _owners = [];
    private bool _claimHeld;
    private bool _waitLogged;
    private bool _handedBack;
    private bool _handBackDone;
    private readonly List<IActorRef> _handBackWaiting = [];
    private long _ownersStarted;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private CancellationTokenSource _stopping = new();
    private UniqueKillSwitch? _killSwitch;
    private Task? _completion;
    private DateTime _lastRenewal;
    private RedisChannel? _cancelChannel;

    public VideoPipelineActor(WorkerServices services)
    {
        _services = services;
        var queue = services.Settings.Queue;
        _claim = new WorkerLease(services.Redis, queue.Keys, queue.WorkerId, queue.LeaseTtl, services.ClaimToken);
        _leases = new JobLeases(services.Redis, queue);
        _reaper = new LeaseReaper(services.Redis, queue, outbox: services.Settings.Webhook.Url is not null, services.Settings.Retention);
        ReceiveAsync<Start>(_ => StartAsync());
        ReceiveAsync<RenewLeases>(async _ =>
        {
            // Own leases first: after an outage, this worker's jobs are renewed before any sweep could take them.
            await RenewLeasesAsync();
            await ReapAsync();
        });
        Receive<OwnJob>(own => Sender.Tell(StartOwner(own.JobId, own.Lease)));
        Receive<Terminated>(OnOwnerStopped);
        Receive<OutboxStopped>(stopped =>
        {
            if (stopped.Error is not null && !_stopping.IsCancellationRequested)
            {
                _log.Error(stopped.Error, "The webhook outbox delivery stopped; webhooks wait for another worker");
            }
        });
        Receive<CancelRequested>(requested =>
        {
            foreach (var (owner, _) in _owners.Where(o => o.Value.JobId == requested.JobId))
            {
                owner.Tell(new JobOwner.CancelJob());
            }
        });
        Receive<HandedBack>(handed =>
        {
            // Through Microsoft's logger, in the job's scope (its job_id; its run is its owner's to know): Akka's lines
            // are written on another thread, where no scope reaches.
            var log = _services.Logging.CreateLogger<VideoPipelineActor>();
            using var scope = log.BeginJobScope(handed.JobId, null);
            if (handed.Error is not null)
            {
                log.LogWarning("Could not hand job {JobId} back ({Error}); the reaper returns it when its lease expires", handed.JobId, handed.Error.Message);
            }
            else if (handed.Done)
            {
                log.LogWarning("Job {JobId} lost its owner before it finished; it is back on the queue, to be resumed", handed.JobId);
            }
        });
        ReceiveAsync<HandBack>(_ => HandBackAsync());
        Receive<ReadAheadPutBack>(putBack =>
        {
            if (putBack.Error is not null && !_handedBack)
            {
                _log.Warning("Jobs taken ahead from the queue could not be put back ({0}); they stay in this worker's processing list until it hands it back or the reaper returns them", putBack.Error.Message);
            }
            // Handing back (the worker stops, having closed this connection): its whole processing list goes back,
            // these jobs with it.
        });
        ReceiveAsync<Drained>(ReleaseAsync);
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

    /// <summary>Most jobs one pop takes while the queue is not empty (within the admission cap): a pop per job was a
    /// Redis round trip and two thread hops per job, in series, the worker's ceiling on a busy queue.</summary>
    private const int QueuePrefetch = 16;

    /// <summary>A job owner that throws is stopped, never restarted: a restarted one would recover its events but not
    /// the run it owned, and hold the job's lease with nobody working on it. Stopped, it is no longer renewed, and the
    /// reaper gives the job to a worker that resumes it.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Decider.From(Directive.Stop));

    /// <summary>Asks for a new owner for a job about to start, under its lease; answered with its actor.</summary>
    public sealed record OwnJob(string JobId, JobLease Lease);

    /// <summary>The service is stopping: stop taking jobs and hand the running ones back. Answered with Done.</summary>
    public sealed record HandBack;

    private sealed record Start;

    private sealed record RenewLeases;


    private sealed record OutboxStopped(Exception? Error);

    private sealed record Drained(IActorRef Asker);

    private sealed record CancelRequested(string JobId);

    private sealed record HandedBack(string JobId, bool Done, Exception? Error);

    private sealed record StreamEnded(Exception? Error);

    /// <summary>The queue source put back the jobs it had taken ahead as it stopped, or could not.</summary>
    private sealed record ReadAheadPutBack(Exception? Error);

    protected override void PreStart()
    {
        _stopping = new CancellationTokenSource();
        Self.Tell(new Start());
    }

    protected override void PostStop()
    {
        // Shutdown (or a restart): in-flight jobs are cancelled; their owners stop with this actor. Handed back
        // already when the service stopped in order; otherwise their leases run out and the reaper returns them.
        _killSwitch?.Shutdown();
        _stopping.Cancel();
        _stopping.Dispose();
        if (_cancelChannel is { } channel)
        {
            // Housekeeping of the connection, not a write: nothing waits for it.
            _services.Redis.GetSubscriber().Unsubscribe(channel, null, CommandFlags.FireAndForget);
        }
    }

    private IActorRef StartOwner(string jobId, JobLease lease)
    {
        foreach (var (stale, _) in _owners.Where(o => o.Value.JobId == jobId))
        {
            // Leased again here after the reaper took it back: the old run lost its lease and must stop now.
            stale.Tell(new JobOwner.Abandon("the job was leased again"));
        }
        var settings = _services.Settings;
        var owner = Context.ActorOf(
            JobActor.Props(jobId, new JobOwnerSettings(_services.Store, settings.Queue.WorkerId, _services.Clock, settings.ProgressInterval,
                settings.JobTimeout, _stopping.Token)
            {
                Log = _services.Logging.CreateLogger<JobActor>(),
                CompletedJournalKept = settings.Retention?.KeepCompletedJournals ?? false,
            }),
            $"job-{++_ownersStarted}");
        Context.Watch(owner);
        _owners[owner] = (jobId, lease);
        return owner;
    }

    /// <summary>An owner stopped. After its job finished this changes nothing; before (its journal failed), the job is
    /// handed back at once if its lease is still this one, rather than left to the reaper when the lease expires.</summary>
    private void OnOwnerStopped(Terminated ended)
    {
        if (!_owners.Remove(ended.ActorRef, out var owned) || _handedBack)
        {
            return;
        }
        _leases.HandBackAsync(owned.JobId, owned.Lease).PipeTo(Self,
            success: done => new HandedBack(owned.JobId, done, null),
            failure: ex => new HandedBack(owned.JobId, false, ex));
    }

    private async Task StartAsync()
    {
        try
        {
            await StartPipelineAsync();
        }
        catch (Exception ex) when (RedisFault.IsUnavailable(ex))
        {
            // Redis is not there yet (or is restarting): try again shortly rather than restart, which would cancel nothing
            // but cost the claim's whole period.
            _log.Warning("The worker cannot start yet, Redis did not answer: {0}", ex.Message);
            Timers.StartSingleTimer("start", new Start(), TimeSpan.FromSeconds(2));
        }
    }

    private async Task StartPipelineAsync()
    {
        var s = _services;
        var settings = s.Settings;
        // No ConfigureAwait(false) in this actor: what follows an await needs the actor's context.
        if (!await _claim.TryAcquireAsync())
        {
            if (!_waitLogged)
            {
                _log.Warning("Worker id {0} is claimed by another running worker ({1}); waiting for it to stop. Give each worker its own videoakka.worker.id.",
                    settings.Queue.WorkerId, _claim.Key);
                _waitLogged = true;
            }
            Timers.StartSingleTimer("start", new Start(), _claim.Ttl / 3);
            return;
        }
        _claimHeld = true;
        _lastRenewal = DateTime.UtcNow;
        await _leases.RegisterAsync();
        // Cancel requests reach the job's owner at once; a message missed while disconnected is found at the next
        // renewal, which reads the request markers of this worker's jobs.
        var self0 = Self;
        _cancelChannel = RedisChannel.Literal(settings.Queue.Keys.CancelChannel);
        await s.Redis.GetSubscriber().SubscribeAsync(_cancelChannel.Value, (_, jobId) => self0.Tell(new CancelRequested(jobId.ToString())));
        Timers.StartPeriodicTimer("renew", new RenewLeases(), settings.Queue.RenewInterval);

        var recovered = await AbandonedJobs.RecoverAsync(s.Redis, settings.Queue);
        if (recovered > 0)
        {
            _log.Info("Found {0} job(s) this worker id had taken before it stopped; they go back on the queue", recovered);
            await ReapAsync();
        }

        // The admission cap is per incarnation: work of a stopped graph that still gives slots back cannot unbalance
        // the new one.
        var admission = new JobAdmission(settings.MaxJobsInFlight);
        var self = Self;
        var ownerTimeout = TimeSpan.FromSeconds(30);
        var lifecycle = new JobLifecycle(s.Store, admission, settings, s.Generator.Name, s.DataRoot, s.Probe,
            (jobId, lease) => self.Ask<IActorRef>(new OwnJob(jobId, lease), ownerTimeout),
            s.Metrics, s.Logging.CreateLogger<JobLifecycle>(), _stopping.Token);
        var generation = new GenerationSteps(s.Generator, settings.Stages.Timeouts, s.Metrics, s.Logging.CreateLogger<GenerationSteps>());
        var media = new MediaSteps(s.Voiceovers, s.Captions, s.Renderer, settings.Render, settings.Stages.Timeouts, s.Metrics, s.Logging.CreateLogger<MediaSteps>());
        var qc = new QcSteps(s.QualityCheck, settings.Stages.Timeouts, s.Metrics, s.Logging.CreateLogger<QcSteps>());

        var jobIds = RestartSource
            .OnFailuresWithBackoff(
                () => Source.FromGraph(new RedisQueueSource(s.BlockingRedis, settings.Queue, admission, QueuePrefetch,
                    onPutBack: write => write.PipeTo(self, success: () => new ReadAheadPutBack(null), failure: ex => new ReadAheadPutBack(ex)))),
                RestartSettings.Create(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2))
            .ViaMaterialized(KillSwitches.Single<string>(), Keep.Right);

        var (killSwitch, completion) = VideoPipelineGraph
            .Create(jobIds, settings.Stages, settings.MaxJobsInFlight, lifecycle, generation, media, qc)
            .Run(Context.Materializer());
        _killSwitch = killSwitch;
        if (settings.Webhook.Url is not null)
        {
            // Runs as long as this incarnation; its end (only ever on shutdown) comes back as a message.
            var delivery = new OutboxDelivery(new WebhookOutbox(s.Redis, settings.Queue.Keys), s.Store, s.Notifier, s.Clock, s.Metrics,
                s.Logging.CreateLogger<OutboxDelivery>());
            _ = delivery.RunAsync(_stopping.Token).PipeTo(Self, success: () => new OutboxStopped(null), failure: ex => new OutboxStopped(ex));
        }
        _completion = completion;
        _ = completion.PipeTo(Self, success: _ => new StreamEnded(null), failure: ex => new StreamEnded(ex));
        _log.Info("Video pipeline running: worker {0}, generator {1}, stages {2}, at most {3} jobs out of Redis",
            settings.Queue.WorkerId, s.Generator.Name, settings.Stages, settings.MaxJobsInFlight);
    }

    private async Task RenewLeasesAsync()
    {
        var workerId = _services.Settings.Queue.WorkerId;
        try
        {
            if (_claimHeld && !(await _claim.RenewAsync() || await _claim.TryAcquireAsync()))
            {
                _claimHeld = false;
                // Another process holds this worker id now and may take this worker's jobs back as abandoned: stop all
                // work at once (restarting this actor cancels it without recording anything) and wait for the id again.
                throw new LeaseLostException($"worker {workerId} lost its claim on its id to another process");
            }
            _lastRenewal = DateTime.UtcNow;
            var (lost, cancel) = await _leases.RenewAsync([.. _owners.Values]);
            foreach (var (owner, (jobId, _)) in _owners)
            {
                if (lost.Contains(jobId))
                {
                    owner.Tell(new JobOwner.Abandon("its lease was taken back (this worker did not renew it in time)"));
                }
                else if (cancel.Contains(jobId))
                {
                    owner.Tell(new JobOwner.CancelJob());
                }
            }
        }
        catch (Exception ex) when (RedisFault.IsUnavailable(ex))
        {
            // Running jobs carry on: their leases last a whole lease period, and are renewed once Redis answers.
            _log.Warning("Could not renew the leases of worker {0} ({1} running job(s)): {2}", workerId, _owners.Count, ex.Message);
        }
    }

    private async Task ReapAsync()
    {
        try
        {
            var report = await _reaper.SweepAsync(_stopping.Token);
            if (report.IsEmpty)
            {
                return;
            }
            _log.Warning("Reaper: {0} job(s) of lost workers back on the queue, {1} in the dead letter after max-attempts, {2} never-started pop(s) back on the queue",
                report.Requeued.Count, report.Buried.Count, report.Recovered);
        }
        catch (Exception ex) when (RedisFault.IsUnavailable(ex) || ex is OperationCanceledException)
        {
            _log.Warning("Reaper sweep skipped: {0}", ex.Message);
        }
    }

    /// <summary>Stops taking jobs and gives the running ones drain-timeout to finish, while their leases are still
    /// renewed (this actor keeps answering meanwhile); then cancels what is left and hands it back.</summary>
    private async Task HandBackAsync()
    {
        var asker = Sender;
        if (_handedBack)
        {
            // Asked again (the host's stopping step, then coordinated shutdown): answered when the first is over.
            if (_handBackDone)
            {
                asker.Tell(Done.Instance);
            }
            else
            {
                _handBackWaiting.Add(asker);
            }
            return;
        }
        _handedBack = true;
        Timers.Cancel("start");
        _killSwitch?.Shutdown(); // the source completes: no new job; those in the graph go on
        if (_claimHeld)
        {
            try
            {
                // A BLMOVE still waiting would take the first job handed back straight into this worker's list again.
                // Closing its connection withdraws it; one that already moved a job left it in the list, which the
                // hand-back empties.
                await _services.BlockingRedis.CloseAsync(allowCommandsToComplete: false);
            }
            catch (Exception ex) when (RedisFault.IsUnavailable(ex))
            {
                _log.Warning("Could not close the queue connection: {0}", ex.Message);
            }
        }
        var drain = _services.Settings.DrainTimeout;
        _log.Info("Worker {0} stopping: {1} running job(s) have {2} to finish", _services.Settings.Queue.WorkerId, _owners.Count, drain);
        var drained = _completion is null ? Task.CompletedTask : _completion.ContinueWith(_ => { }, TaskScheduler.Default);
        _ = Task.WhenAny(drained, Task.Delay(drain)).PipeTo(Self, success: _ => new Drained(asker));
    }

    /// <summary>The drain is over: what still runs is cancelled and put back at the head of the queue with its lease
    /// given up, for another worker (or this one, restarted) to resume from its events. No attempt is counted.</summary>
    private async Task ReleaseAsync(Drained drained)
    {
        Timers.CancelAll();
        _stopping.Cancel();
        foreach (var owner in _owners.Keys)
        {
            owner.Tell(new JobOwner.Abandon("the worker is stopping"));
        }
        if (_claimHeld)
        {
            try
            {
                await _leases.ReleaseAllAsync();
                await _claim.ReleaseAsync();
                _log.Info("Worker {0} stopped; {1} unfinished job(s) are back on the queue", _services.Settings.Queue.WorkerId, _owners.Count);
            }
            catch (Exception ex) when (RedisFault.IsUnavailable(ex))
            {
                _log.Warning("Could not hand the running jobs back ({0}); the reaper returns them when their leases expire", ex.Message);
            }
        }
        drained.Asker.Tell(Done.Instance);
        _handBackDone = true;
        foreach (var waiting in _handBackWaiting)
        {
            waiting.Tell(Done.Instance);
        }
        _handBackWaiting.Clear();
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
            // Before the actors stop: running jobs get the drain period, then go back on the queue, not left to their
            // leases running out. (The phase's own timeout is raised to match in the composition root.)
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceStop, "videoakka-hand-back-jobs",
                () => actor.Ask<Done>(new VideoPipelineActor.HandBack(), worker.Settings.DrainTimeout + TimeSpan.FromSeconds(10)));
        });
}
