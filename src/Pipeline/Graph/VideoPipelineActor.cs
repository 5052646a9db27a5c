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
public sealed class VideoPipelineActor : ReceiveActor
{
    private readonly WorkerServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private CancellationTokenSource _stopping = new();
    private UniqueKillSwitch? _killSwitch;
    private JobAdmission? _admission;

    public VideoPipelineActor(WorkerServices services)
    {
        _services = services;
        ReceiveAsync<Start>(_ => StartAsync());
        Receive<StreamEnded>(ended =>
        {
            if (ended.Error is not null)
            {
                throw new InvalidOperationException("the video pipeline failed", ended.Error);
            }
            _log.Info("Video pipeline completed");
        });
    }

    private sealed record Start;

    private sealed record StreamEnded(Exception? Error);

    protected override void PreStart()
    {
        _stopping = new CancellationTokenSource();
        Self.Tell(new Start());
    }

    protected override void PostStop()
    {
        // Shutdown: in-flight jobs are cancelled and stay in the processing list, to be taken again on the next start.
        _killSwitch?.Shutdown();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task StartAsync()
    {
        var s = _services;
        var settings = s.Settings;
        // No ConfigureAwait(false) here: the rest of this method needs the actor's context.
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
