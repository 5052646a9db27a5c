namespace VideoAkka.Pipeline.Queue;

/// <summary>How this worker takes jobs from Redis and keeps them.</summary>
/// <param name="Keys">The key names (prefix configurable).</param>
/// <param name="WorkerId">Names this worker's processing list; unique per process start unless set.</param>
/// <param name="BlockTimeout">How long one BLMOVE waits for a job before it is issued again.</param>
/// <param name="LeaseTtl">How long a worker's claim on its id, and its lease on each running job, last unless
/// renewed; both are renewed at a third of it.</param>
/// <param name="MaxAttempts">A job whose worker was lost this many times goes to the dead letter.</param>
public sealed record QueueSettings(RedisKeys Keys, string WorkerId, TimeSpan BlockTimeout, TimeSpan LeaseTtl, int MaxAttempts = 3)
{
    public string ProcessingList => Keys.Processing(WorkerId);

    /// <summary>How often leases are renewed and the reaper sweeps.</summary>
    public TimeSpan RenewInterval => LeaseTtl / 3;

    /// <summary>How long a lease lasts from a renewal: the lease plus one renewal period, so that from the last renewal
    /// before Redis went away the job keeps its lease for at least a whole <see cref="LeaseTtl"/>.</summary>
    public TimeSpan LeaseLength => LeaseTtl + RenewInterval;
}
