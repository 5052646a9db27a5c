namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// One lease on one job, taken by one worker at one pop: <see cref="Holder"/> is what <c>lease_holders</c> stores and
/// what every write of the job's state is fenced on. The token is new at every acquire, so a job reclaimed and popped
/// again by the same worker is a different lease, and the run that lost the first one can no longer write.
/// </summary>
public sealed record JobLease(string WorkerId, string Token)
{
    public string Holder => $"{WorkerId}/{Token}";

    public static JobLease New(string workerId) => new(workerId, Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The worker id in a stored holder (the id itself may not contain '/': see <see cref="QueueSettings"/>).</summary>
    public static string WorkerOf(string holder)
    {
        var slash = holder.LastIndexOf('/');
        return slash < 0 ? holder : holder[..slash];
    }
}
