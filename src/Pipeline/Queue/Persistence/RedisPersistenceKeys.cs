namespace VideoAkka.Pipeline.Queue.Persistence;

/// <summary>
/// The Redis key names, exactly those of the official plugin (akkadotnet/Akka.Persistence.Redis :
/// src/Akka.Persistence.Redis/JournalHelper.cs and Snapshot/RedisSnapshotStore.cs GetSnapshotKey), so that events
/// and snapshots written here are found by it after a swap. On a Redis Cluster each key gets the same hash tag
/// <c>{__persistenceId}</c>, which keeps the journal and its highest-sequence-number key in one slot (a Lua script
/// may only touch keys of one slot).
/// </summary>
/// <param name="Prefix">The <c>key-prefix</c> setting, put in as is.</param>
/// <param name="Clustered">True on a Redis Cluster.</param>
public sealed record RedisPersistenceKeys(string Prefix, bool Clustered)
{
    /// <summary>A sorted set per persistence id: member = the serialized event, score = its sequence number.</summary>
    public string Journal(string persistenceId) => Tag(persistenceId) + $"{Prefix}journal:persisted:{persistenceId}";

    /// <summary>The highest sequence number ever written; deleting events never lowers it, so numbers are not reused.</summary>
    public string HighestSequenceNr(string persistenceId) => Journal(persistenceId) + ":highestSequenceNr";

    /// <summary>A sorted set per persistence id: member = the serialized snapshot, score = its sequence number.</summary>
    public string Snapshots(string persistenceId) => Tag(persistenceId) + $"{Prefix}snapshot:{persistenceId}";

    private string Tag(string persistenceId) => Clustered ? $"{{__{persistenceId}}}." : string.Empty;
}
