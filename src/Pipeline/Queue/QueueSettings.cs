namespace VideoAkka.Pipeline.Queue;

/// <summary>How this worker takes jobs from Redis.</summary>
/// <param name="Keys">The key names (prefix configurable).</param>
/// <param name="WorkerId">Names this worker's processing list; stable across restarts so a restarted worker finds the
/// jobs it had taken.</param>
/// <param name="BlockTimeout">How long one BLMOVE waits for a job before it is issued again.</param>
/// <param name="LeaseTtl">How long a worker's claim on its id lasts unless renewed.</param>
public sealed record QueueSettings(RedisKeys Keys, string WorkerId, TimeSpan BlockTimeout, TimeSpan LeaseTtl)
{
    public string ProcessingList => Keys.Processing(WorkerId);

}
