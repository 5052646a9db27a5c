using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// The one owner of GPU capacity: which instance holds how many of our prompts, which are up, what model each last
/// ran, and who waits. Requests are served first come, first served; each goes to an up instance with a free slot,
/// preferring one whose last prompt used the same workflow (a model switch costs a reload on a real GPU), then the
/// least loaded. It never waits for affinity while a slot is free elsewhere, and never exceeds a capacity. Every
/// instance is probed (GET /system_stats) each health interval: one that fails leaves the rotation until it answers.
/// </summary>
public sealed class GpuSchedulerActor : ReceiveActor, IWithTimers
{
    public sealed record RequestSlot(Guid Id, string Workflow);

    public sealed record SlotGranted(Guid Id, int Instance);

    /// <summary>Release, or withdraw a request that has not been granted yet: the same message, so a cancellation
    /// racing a grant can never leak a slot.</summary>
    public sealed record Withdraw(Guid Id);

    public sealed record InstanceFailed(Guid Id, int Instance, string Reason);

    public sealed record GetStats
    {
        public static GetStats Instance { get; } = new();
    }

    private sealed record ProbeAll
    {
        public static ProbeAll Instance { get; } = new();
    }

    /// <param name="Generation">The instance's failure count when the probe was sent: a probe that started before a
    /// failure was reported must not bring the instance back.</param>
    private sealed record Probed(int Instance, string? Failure, int Generation);

    private sealed class InstanceState(ComfyUiInstance instance)
    {
        public ComfyUiInstance Instance { get; } = instance;
        public bool Up { get; set; } = true;
        /// <summary>Why it left the rotation (the last failure seen).</summary>
        public string? DownReason { get; set; }
        public bool Probing { get; set; }
        public int Generation { get; set; }
        public HashSet<Guid> Holders { get; } = [];
        public string? LastWorkflow { get; set; }
        public int MaxInFlight { get; set; }
        public long Placed { get; set; }
        public long Switches { get; set; }
        public bool HasRoom => Up && Holders.Count < Instance.Capacity;
    }

    private sealed record Waiter(Guid Id, string Workflow, IActorRef ReplyTo)
    {
        /// <summary>How often a later request for a model already loaded on a free instance went first.</summary>
        public int Passed { get; set; }
    }

    /// <summary>How far down the queue a request for a loaded model may be found, and how often the head may be passed
    /// over for one: affinity saves model reloads, and this bounds what it costs the head in waiting.</summary>
    private const int AffinityWindow = 8;
    private const int MaxPassed = 4;

    private readonly ImmutableArray<InstanceState> _instances;
    private readonly LinkedList<Waiter> _waiting = new();
    private readonly Dictionary<Guid, InstanceState> _granted = [];
    private readonly Func<ComfyUiInstance, CancellationToken, Task> _probe;
    private readonly TimeSpan _probeInterval;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Action<ImmutableArray<GpuInstanceLoad>> _publishLoad;

    /// <param name="probe">Throws when the instance cannot serve (GET /system_stats in production).</param>
    /// <param name="publishLoad">Told every instance's slots in use after each change (for the busy-fraction gauge): an
    /// immutable snapshot, so the actor's own state is never read from outside.</param>
    public GpuSchedulerActor(IReadOnlyList<ComfyUiInstance> instances, Func<ComfyUiInstance, CancellationToken, Task> probe, TimeSpan probeInterval,
        Action<ImmutableArray<GpuInstanceLoad>>? publishLoad = null)
    {
        _instances = [.. instances.Select(i => new InstanceState(i))];
        _probe = probe;
        _probeInterval = probeInterval;
        _publishLoad = publishLoad ?? (_ => { });

        Receive<RequestSlot>(OnRequest);
        Receive<Withdraw>(w => Free(w.Id));
        Receive<InstanceFailed>(OnFailed);
        Receive<ProbeAll>(_ => ProbeEveryInstance());
        Receive<Probed>(OnProbed);
        Receive<GetStats>(_ => Sender.Tell(Stats()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<ComfyUiInstance> instances, Func<ComfyUiInstance, CancellationToken, Task> probe, TimeSpan probeInterval,
        Action<ImmutableArray<GpuInstanceLoad>>? publishLoad = null) =>
        Akka.Actor.Props.Create(() => new GpuSchedulerActor(instances, probe, probeInterval, publishLoad));

    /// <summary>Probes at once, so an instance that is down from the start costs no prompt its retries.</summary>
    protected override void PreStart()
    {
        Self.Tell(ProbeAll.Instance);
        Timers.StartPeriodicTimer("probe", ProbeAll.Instance, _probeInterval);
        PublishLoad();
    }

    /// <summary>A restarted or stopped scheduler holds no slots: the gauge must not keep the last incarnation's.</summary>
    protected override void PostStop() => _publishLoad([.. _instances.Select(s => new GpuInstanceLoad(s.Instance.Display, 0, s.Instance.Capacity))]);

    private void PublishLoad() =>
        _publishLoad([.. _instances.Select(s => new GpuInstanceLoad(s.Instance.Display, s.Holders.Count, s.Instance.Capacity))]);

    private void OnRequest(RequestSlot request)
    {
        if (_instances.All(i => !i.Up))
        {
            Sender.Tell(new Status.Failure(NoneUp()));
            return;
        }
        _waiting.AddLast(new Waiter(request.Id, request.Workflow, Sender));
        Dispatch();
    }

    private void OnFailed(InstanceFailed failed)
    {
        Free(failed.Id);
        var state = _instances[failed.Instance];
        state.Generation++;
        if (state.Up)
        {
            state.Up = false;
            state.DownReason = failed.Reason;
            _log.Warning("ComfyUI at {0} left the rotation: {1}", state.Instance.Display, failed.Reason);
        }
        FailWaitersIfNoneUp();
    }

    private void OnProbed(Probed probed)
    {
        var state = _instances[probed.Instance];
        state.Probing = false;
        if (probed.Failure is null && !state.Up && probed.Generation == state.Generation)
        {
            state.Up = true;
            _log.Info("ComfyUI at {0} answers again and is back in the rotation", state.Instance.Display);
            Dispatch();
        }
        else if (probed.Failure is not null && state.Up)
        {
            state.Up = false;
            state.DownReason = probed.Failure;
            _log.Warning("ComfyUI at {0} left the rotation: {1}", state.Instance.Display, probed.Failure);
            FailWaitersIfNoneUp();
        }
    }

    private void ProbeEveryInstance()
    {
        foreach (var state in _instances.Where(s => !s.Probing))
        {
            state.Probing = true;
            var index = state.Instance.Index;
            var generation = state.Generation;
            var timeout = _probeInterval < TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(2) : _probeInterval;
            RunProbeAsync(state.Instance, timeout).PipeTo(Self, success: failure => new Probed(index, failure, generation));
        }
    }

    private async Task<string?> RunProbeAsync(ComfyUiInstance instance, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _probe(instance, cts.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex)
        {
            return ex is OperationCanceledException ? "GET /system_stats timed out" : ex.Message;
        }
    }

    private void Free(Guid id)
    {
        if (_granted.Remove(id, out var state))
        {
            state.Holders.Remove(id);
            Dispatch();
            PublishLoad();
            return;
        }
        for (var node = _waiting.First; node is not null; node = node.Next)
        {
            if (node.Value.Id == id)
            {
                _waiting.Remove(node);
                return;
            }
        }
    }

    /// <summary>Serves waiters while some up instance has room: first a waiter (among the first few) whose workflow is
    /// the one a free instance last ran, so the GPU keeps its model loaded; otherwise the head of the queue, on a free
    /// instance that last ran its workflow if there is one, else the least loaded. The head is passed over at most
    /// <see cref="MaxPassed"/> times, and a free slot is never left unused for the sake of affinity.</summary>
    private void Dispatch()
    {
        while (_waiting.First is { } head)
        {
            var (node, chosen) = MatchLoadedModel(head) ?? (head, Place(head.Value));
            if (chosen is null)
            {
                return;
            }
            if (node != head)
            {
                head.Value.Passed++;
            }
            _waiting.Remove(node);
            Grant(node.Value, chosen);
        }
    }

    private (LinkedListNode<Waiter>, InstanceState?)? MatchLoadedModel(LinkedListNode<Waiter> head)
    {
        if (head.Value.Passed >= MaxPassed)
        {
            return null;
        }
        var node = head;
        for (var i = 0; i < AffinityWindow && node is not null; i++, node = node.Next)
        {
            var waiter = node.Value;
            var loaded = _instances
                .Where(s => s.HasRoom && s.LastWorkflow == waiter.Workflow)
                .OrderBy(s => (double)s.Holders.Count / s.Instance.Capacity)
                .FirstOrDefault();
            if (loaded is not null)
            {
                return (node, loaded);
            }
        }
        return null;
    }

    private InstanceState? Place(Waiter waiter) => _instances
        .Where(s => s.HasRoom)
        .OrderByDescending(s => s.LastWorkflow == waiter.Workflow)
        .ThenBy(s => s.LastWorkflow is null ? 0 : 1) // an instance with no model loaded yet costs no switch
        .ThenBy(s => (double)s.Holders.Count / s.Instance.Capacity)
        .ThenBy(s => s.Placed)
        .FirstOrDefault();

    private void Grant(Waiter waiter, InstanceState chosen)
    {
        chosen.Holders.Add(waiter.Id);
        _granted[waiter.Id] = chosen;
        chosen.MaxInFlight = Math.Max(chosen.MaxInFlight, chosen.Holders.Count);
        chosen.Placed++;
        if (chosen.LastWorkflow is not null && chosen.LastWorkflow != waiter.Workflow)
        {
            chosen.Switches++;
        }
        chosen.LastWorkflow = waiter.Workflow;
        waiter.ReplyTo.Tell(new SlotGranted(waiter.Id, chosen.Instance.Index));
        PublishLoad();
    }

    private void FailWaitersIfNoneUp()
    {
        if (_instances.Any(i => i.Up))
        {
            return;
        }
        var error = NoneUp();
        foreach (var waiter in _waiting)
        {
            waiter.ReplyTo.Tell(new Status.Failure(error));
        }
        _waiting.Clear();
    }

    private ComfyUiUnavailableException NoneUp()
    {
        var first = _instances[0];
        return _instances.Length == 1
            ? new ComfyUiUnavailableException(first.Instance, $"it is out of the rotation ({first.DownReason ?? "it failed its health check"})")
            : new ComfyUiUnavailableException(first.Instance, "no instance is in the rotation: " + string.Join("; ", _instances.Select(i => $"{i.Instance.Display} ({i.DownReason ?? "failed its health check"})")));
    }

    private GpuSchedulerStats Stats() => new([.. _instances.Select(s => new GpuInstanceStats(
        s.Instance.Display, s.Instance.Capacity, s.Up, s.Holders.Count, s.MaxInFlight, s.Placed, s.Switches))]);
}
