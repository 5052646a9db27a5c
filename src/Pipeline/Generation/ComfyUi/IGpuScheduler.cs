namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// Places prompts on ComfyUI instances within their capacity. Today one per worker (an actor, <see cref="GpuScheduler"/>);
/// the seam for one cluster-wide scheduler shared by several workers (an Akka.Cluster singleton), whose messages are
/// already plain serializable records.
/// </summary>
public interface IGpuScheduler
{
    /// <summary>Waits for a free slot on an instance that is up, preferring one whose last prompt used
    /// <paramref name="workflow"/> (its model is loaded). Throws <see cref="ComfyUiUnavailableException"/> at once
    /// when no instance is up.</summary>
    Task<GpuSlot> AcquireAsync(string workflow, CancellationToken cancellationToken);

    /// <summary>Gives the slot back (the prompt has ended). A second release of the same slot does nothing.</summary>
    void Release(GpuSlot slot);

    /// <summary>Gives the slot back and takes its instance out of the rotation until its health probe answers again.</summary>
    void ReportUnavailable(GpuSlot slot, string reason);

    /// <summary>Per-instance figures, for benchmarks and logs.</summary>
    Task<GpuSchedulerStats> StatsAsync(CancellationToken cancellationToken);
}

/// <summary>A place for one prompt on one instance, held until released.</summary>
public sealed record GpuSlot(Guid Id, int Instance);

public sealed record GpuSchedulerStats(IReadOnlyList<GpuInstanceStats> Instances);

/// <param name="MaxInFlight">The most of our prompts placed on it at once, ever.</param>
/// <param name="ModelSwitches">Prompts placed on it with another workflow than its previous one (a model reload on a real GPU).</param>
public sealed record GpuInstanceStats(string Url, int Capacity, bool Up, int InFlight, int MaxInFlight, long Placed, long ModelSwitches);
