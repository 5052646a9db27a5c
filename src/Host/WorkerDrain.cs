using Akka;
using Akka.Actor;
using Akka.Hosting;
using VideoAkka.Pipeline.Graph;

namespace VideoAkka.Host;

/// <summary>
/// On SIGTERM the worker's drain runs in the host's "stopping" step, which comes before any hosted service is stopped:
/// the HTTP listener (stopped in the next step) stays open meanwhile and answers 503 (see ShutdownGate), and Akka
/// stops after the running jobs have finished or been handed back. Coordinated shutdown asks for the same hand-back
/// again, which then answers at once.
/// </summary>
internal sealed class WorkerDrain(ActorRegistry registry, PipelineSettings settings, IHostApplicationLifetime lifetime) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Stopped by code (IHost.StopAsync) rather than a signal, ApplicationStopping fires only after this step: the
        // gate must close before the drain either way. A second call does nothing.
        lifetime.StopApplication();
        if (registry.TryGet<VideoPipelineActor>(out var pipeline))
        {
            await pipeline.Ask<Done>(new VideoPipelineActor.HandBack(), settings.DrainTimeout + TimeSpan.FromSeconds(10), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
