using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Snapshot;
using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue.Persistence;

/// <summary>
/// The snapshot store on Redis, written in the project for the same reason as <see cref="RedisJournal"/>. Layout
/// of the official plugin (akkadotnet/Akka.Persistence.Redis : src/Akka.Persistence.Redis/Snapshot/RedisSnapshotStore.cs):
/// one sorted set per persistence id, scored by sequence number, each member a <see cref="SnapshotCodec"/>
/// protobuf. Saving at a sequence number already taken replaces that snapshot (the official store adds a second
/// member beside it and picks the newest on load, which reads the same).
/// </summary>
public sealed class RedisSnapshotStore : SnapshotStore
{
    // KEYS[1] the snapshots; ARGV[1] the sequence number, ARGV[2] the snapshot. One script: a reader never sees the
    // sequence number without a snapshot.
    private const string SaveScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
        return 1
        """;

    private readonly ExtendedActorSystem _system;
    private readonly LazyRedisPersistenceTarget _target;

    public RedisSnapshotStore(Config snapshotConfig)
    {
        _system = (ExtendedActorSystem)Context.System;
        _target = new LazyRedisPersistenceTarget(_system, RedisPersistenceSettings.Create(snapshotConfig, RedisPersistence.SnapshotStorePluginId));
    }

    protected override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        if (criteria.MaxSequenceNr <= 0)
        {
            // SnapshotSelectionCriteria.None (an actor that never snapshots): nothing can match, so Redis is not asked.
            return null;
        }
        var found = (await FindAsync(persistenceId, criteria.MinSequenceNr, criteria.MaxSequenceNr, cancellationToken).ConfigureAwait(false))
            .Where(stored => Matches(criteria, stored.Codec.Metadata))
            .OrderByDescending(stored => stored.Codec.Metadata.SequenceNr)
            .ThenByDescending(stored => stored.Codec.Metadata.Timestamp)
            .FirstOrDefault();
        return found?.Codec.ToSelected(_system);
    }

    protected override async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        var bytes = SnapshotCodec.Create(_system, metadata, snapshot).ToBytes();
        var target = await _target.GetAsync(cancellationToken).ConfigureAwait(false);
        await target.Db.ScriptEvaluateAsync(SaveScript, [target.Keys.Snapshots(metadata.PersistenceId)], [metadata.SequenceNr, bytes])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The snapshot at the metadata's sequence number, if it is not newer than the metadata's timestamp;
    /// DateTime.MinValue (metadata built without a timestamp) means any, as in the official store and the TCK.</summary>
    protected override async Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(metadata.PersistenceId, metadata.SequenceNr, metadata.SequenceNr, cancellationToken).ConfigureAwait(false);
        var doomed = stored.Where(s => metadata.Timestamp == DateTime.MinValue || s.Codec.Metadata.Timestamp <= metadata.Timestamp);
        await RemoveAsync(metadata.PersistenceId, doomed, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(persistenceId, criteria.MinSequenceNr, criteria.MaxSequenceNr, cancellationToken).ConfigureAwait(false);
        await RemoveAsync(persistenceId, stored.Where(s => Matches(criteria, s.Codec.Metadata)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every stored snapshot in the sequence number range, with its member so it can be removed exactly.</summary>
    private async Task<IReadOnlyList<StoredSnapshot>> FindAsync(string persistenceId, long from, long to, CancellationToken cancellationToken)
    {
        if (from > to)
        {
            return [];
        }
        var target = await _target.GetAsync(cancellationToken).ConfigureAwait(false);
        var members = await target.Db.SortedSetRangeByScoreAsync(target.Keys.Snapshots(persistenceId), from, to)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. members.Select(m => new StoredSnapshot(m, SnapshotCodec.FromBytes(m!)))];
    }

    private async Task RemoveAsync(string persistenceId, IEnumerable<StoredSnapshot> snapshots, CancellationToken cancellationToken)
    {
        var members = snapshots.Select(s => s.Member).ToArray();
        if (members.Length == 0)
        {
            return;
        }
        var target = await _target.GetAsync(cancellationToken).ConfigureAwait(false);
        await target.Db.SortedSetRemoveAsync(target.Keys.Snapshots(persistenceId), members).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool Matches(SnapshotSelectionCriteria criteria, SnapshotMetadata metadata) =>
        metadata.SequenceNr >= criteria.MinSequenceNr && metadata.SequenceNr <= criteria.MaxSequenceNr
        && metadata.Timestamp >= (criteria.MinTimestamp ?? DateTime.MinValue) && metadata.Timestamp <= criteria.MaxTimeStamp;

    private sealed record StoredSnapshot(RedisValue Member, SnapshotCodec Codec);
}
