namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// The cap on jobs a worker holds at once (taken from Redis and not yet finished). The queue source takes a slot
/// before it pops and the graph's last step gives it back, so the worker never takes more work than its stages
/// can hold, whatever the buffers between stages would allow.
/// </summary>
public sealed class JobAdmission(int maxJobsInFlight)
{
    private readonly SemaphoreSlim _slots = new(maxJobsInFlight, maxJobsInFlight);

    public int Capacity { get; } = maxJobsInFlight;

    public int InFlight => Capacity - _slots.CurrentCount;

    public Task WaitForSlotAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Takes a slot only if one is free now.</summary>
    public bool TryTake() => _slots.Wait(0);

    /// <remarks>Never disposed: work of a stopped graph may still give its slot back, and an undisposed
    /// SemaphoreSlim without a wait handle holds nothing to free.</remarks>
    public void Release() => _slots.Release();
}
