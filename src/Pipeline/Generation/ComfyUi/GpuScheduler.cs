using Akka.Actor;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>The scheduler as seen by a generator: asks the <see cref="GpuSchedulerActor"/>. A wait that is cancelled
/// withdraws its request, and a slot granted to a request that was withdrawn meanwhile is freed by the actor.</summary>
public sealed class GpuScheduler(IActorRef actor) : IGpuScheduler
{
    public async Task<GpuSlot> AcquireAsync(string workflow, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        try
        {
            var granted = await actor.Ask<GpuSchedulerActor.SlotGranted>(new GpuSchedulerActor.RequestSlot(id, workflow), null, cancellationToken).ConfigureAwait(false);
            return new GpuSlot(id, granted.Instance);
        }
        catch (OperationCanceledException)
        {
            actor.Tell(new GpuSchedulerActor.Withdraw(id));
            throw;
        }
    }

    public void Release(GpuSlot slot) => actor.Tell(new GpuSchedulerActor.Withdraw(slot.Id));

    public void ReportUnavailable(GpuSlot slot, string reason) => actor.Tell(new GpuSchedulerActor.InstanceFailed(slot.Id, slot.Instance, reason));

    public Task<GpuSchedulerStats> StatsAsync(CancellationToken cancellationToken) =>
        actor.Ask<GpuSchedulerStats>(GpuSchedulerActor.GetStats.Instance, null, cancellationToken);
}
