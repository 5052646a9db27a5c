using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Serialization;
using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue.Persistence;

/// <summary>
/// The event journal on Redis, written in the project because Akka.Persistence.Redis is not served by our package
/// source (issue 10). It keeps the official plugin's layout (akkadotnet/Akka.Persistence.Redis :
/// src/Akka.Persistence.Redis/Journal/RedisJournal.cs): one sorted set per persistence id scored by sequence number,
/// each member an event serialized by Akka.Persistence's own <see cref="PersistenceMessageSerializer"/>, and a
/// separate highest-sequence-number key. Unlike the official one, an atomic write is one Lua script, so the
/// highest-sequence-number key only ever goes up.
/// </summary>
public sealed class RedisJournal : AsyncWriteJournal
{
    // KEYS[1] the journal, KEYS[2] its highest sequence number; ARGV[1] the write's highest sequence number, then
    // score/member pairs. One script: the events of an AtomicWrite become visible together or not at all. A write
    // below the highest sequence number is refused, so a second writer for one persistence id (a stale owner) fails
    // instead of interleaving its events, unless it is this very write, retried after its success went unanswered.
    private const string WriteScript = """
        local written = tonumber(redis.call('GET', KEYS[2]) or '0')
        if tonumber(ARGV[2]) <= written then
          local stored = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[2])
          if #stored == 1 and stored[1] == ARGV[3] then return 1 end
          return redis.error_reply('sequence number ' .. ARGV[2] .. ' of ' .. KEYS[1] .. ' is already written: another writer for this persistence id?')
        end
        for i = 2, #ARGV, 2 do
          redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        -- The highest read above still stands: nothing else runs while a script does (one GET per write, not two).
        if tonumber(ARGV[1]) > written then
          redis.call('SET', KEYS[2], ARGV[1], 'KEEPTTL')
        end
        return 1
        """;

    private readonly RedisPersistenceSettings _settings;
    private readonly TimeSpan _retryWritesFor;
    private readonly ExtendedActorSystem _system;
    private readonly Akka.Serialization.Serializer _serializer;
    private readonly LazyRedisPersistenceTarget _target;

    public RedisJournal(Config journalConfig)
    {
        _settings = RedisPersistenceSettings.Create(journalConfig, RedisPersistence.JournalPluginId);
        _retryWritesFor = journalConfig.WithFallback(RedisPersistence.DefaultConfig().GetConfig(RedisPersistence.JournalPluginId))
            .GetTimeSpan("retry-writes-for", TimeSpan.Zero);
        _system = (ExtendedActorSystem)Context.System;
        // The official plugin stores what the serializer bound to Persistent writes: Akka.Persistence's protobuf one
        // (id 7) when Persistence.DefaultConfig() is in the system's configuration. Fall back to that very serializer
        // when it is not, so the bytes in Redis never depend on how the system was configured.
        _serializer = _system.Serialization.FindSerializerForType(typeof(Persistent)) as PersistenceMessageSerializer
            ?? new PersistenceMessageSerializer(_system);
        _target = new LazyRedisPersistenceTarget(_system, _settings);
    }

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        var target = await _target.GetAsync(cancellationToken).ConfigureAwait(false);
        var highest = await target.Db.StringGetAsync(target.Keys.HighestSequenceNr(persistenceId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return highest.IsNull ? 0L : (long)highest;
    }

    public override async Task ReplayMessagesAsync(
        IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        // Redis reads LIMIT 0 0 as "no limit" on some versions; a count of 0 or an empty range asks for nothing.
        if (max <= 0 || fromSequenceNr > toSequenceNr)
        {
            return;
        }
        var target = await _target.GetAsync(CancellationToken.None).ConfigureAwait(false);
        var events = await target.Db.SortedSetRangeByScoreAsync(
            target.Keys.Journal(persistenceId), fromSequenceNr, toSequenceNr, Exclude.None, Order.Ascending, skip: 0, take: max).ConfigureAwait(false);
        foreach (var bytes in events)
        {
            recoveryCallback(FromBytes(bytes!));
        }
    }

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        // Serialize first and per AtomicWrite: a payload that cannot be serialized rejects its own write only
        // (WriteMessageRejected), never the others in the batch.
        var writes = messages.Select(Encode).ToList();
        var target = await _target.GetAsync(cancellationToken).ConfigureAwait(false);
        var sent = writes
            .Where(w => w.Rejection is null)
            .Select(w => WriteWithRetriesAsync(target, w, cancellationToken));
        // A Redis failure faults the whole call, which Akka reports as WriteMessageFailure (the persistent actor
        // stops) rather than as a rejection it would carry on after.
        await Task.WhenAll(sent).WaitAsync(cancellationToken).ConfigureAwait(false);
        return writes.Select(w => w.Rejection).ToImmutableList();
    }

    /// <summary>The same bytes, tried again through a Redis outage for up to retry-writes-for: the script accepts a
    /// repeat of a write that landed.</summary>
    private Task WriteWithRetriesAsync(RedisPersistenceTarget target, EncodedWrite write, CancellationToken cancellationToken) =>
        RedisRetry.RunForAsync(
            () => target.Db.ScriptEvaluateAsync(WriteScript,
                [target.Keys.Journal(write.PersistenceId), target.Keys.HighestSequenceNr(write.PersistenceId)],
                write.Arguments),
            _retryWritesFor,
            TimeSpan.FromMilliseconds(100),
            TimeProvider.System,
            cancellationToken);

    protected override async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        var target = await _target.GetAsync(cancellationToken).ConfigureAwait(false);
        // The highest-sequence-number key is left alone: a recovered actor must not reuse deleted numbers.
        await target.Db.SortedSetRemoveRangeByScoreAsync(target.Keys.Journal(persistenceId), double.NegativeInfinity, toSequenceNr)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private EncodedWrite Encode(AtomicWrite write)
    {
        try
        {
            var payloads = (IImmutableList<IPersistentRepresentation>)write.Payload;
            var arguments = new RedisValue[1 + payloads.Count * 2];
            arguments[0] = write.HighestSequenceNr;
            for (var i = 0; i < payloads.Count; i++)
            {
                // Stamped with the write time, as the official plugin does.
                var persistent = payloads[i].WithTimestamp(DateTime.UtcNow.Ticks);
                arguments[1 + i * 2] = persistent.SequenceNr;
                arguments[2 + i * 2] = Akka.Serialization.Serialization.WithTransport(_system, () => _serializer.ToBinary(persistent));
            }
            return new EncodedWrite(write.PersistenceId, arguments, null);
        }
        catch (Exception ex)
        {
            return new EncodedWrite(write.PersistenceId, [], ex);
        }
    }

    private IPersistentRepresentation FromBytes(byte[] bytes) =>
        Akka.Serialization.Serialization.WithTransport(_system, () => (IPersistentRepresentation)_serializer.FromBinary(bytes, typeof(Persistent)));

    private sealed record EncodedWrite(string PersistenceId, RedisValue[] Arguments, Exception? Rejection);
}
