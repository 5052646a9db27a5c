using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue.Persistence;
using Xunit.Abstractions;

namespace VideoAkka.Tests.Persistence;

/// <summary>
/// The Redis journal, tested the way Akka's persistence TCK does (akkadotnet/akka.net :
/// src/core/Akka.Persistence.TCK/Journal/JournalSpec.cs, ported to xunit v2 since the TCK package is not served):
/// every test starts from events 1..5 of its own persistence id, written as the TCK writes them (4 and 5 in one
/// AtomicWrite), and talks to the journal actor with its protocol messages.
/// </summary>
public sealed class RedisJournalSpecs : Akka.TestKit.Xunit2.TestKit, IClassFixture<RedisPersistenceFixture>, IAsyncLifetime
{
    private static int _counter;

    private readonly RedisPersistenceFixture _redis;
    private readonly string _keyPrefix;
    private readonly TestProbe _receiver;
    private readonly string _pid = $"p-{Interlocked.Increment(ref _counter)}";
    private readonly string _writerGuid = Guid.NewGuid().ToString();

    public RedisJournalSpecs(RedisPersistenceFixture redis, ITestOutputHelper output)
        : this(redis, RedisPersistenceFixture.NewKeyPrefix(), output)
    {
    }

    private RedisJournalSpecs(RedisPersistenceFixture redis, string keyPrefix, ITestOutputHelper output)
        : base(RedisPersistenceFixture.SpecConfig(keyPrefix), nameof(RedisJournalSpecs), output)
    {
        _redis = redis;
        _keyPrefix = keyPrefix;
        // As the composition root does: the plugins use the queue's connection.
        RedisPersistenceConnection.Get(Sys).Use(redis.Redis.Connection);
        _receiver = CreateTestProbe();
    }

    private IActorRef Journal => Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);

    private IDatabase Db => _redis.Redis.Db;

    public async Task InitializeAsync()
    {
        var probe = CreateTestProbe();
        var writes = Enumerable.Range(1, 4)
            .Select(i => i == 4 ? new AtomicWrite([Event(4), Event(5)]) : new AtomicWrite(Event(i)))
            .ToArray();
        Journal.Tell(new WriteMessages(writes, probe.Ref, 1));
        await probe.ExpectMsgAsync<WriteMessagesSuccessful>();
        for (var i = 1; i <= 5; i++)
        {
            var n = i;
            await probe.ExpectMsgAsync<WriteMessageSuccess>(m => m.Persistent.Payload.Equals($"a-{n}") && m.Persistent.SequenceNr == n);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Replays_all_messages()
    {
        await ReplayAsync(1, long.MaxValue, long.MaxValue);
        await ExpectReplayedAsync(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task Replays_from_a_lower_sequence_number_bound()
    {
        await ReplayAsync(3, long.MaxValue, long.MaxValue);
        await ExpectReplayedAsync(3, 4, 5);
    }

    [Fact]
    public async Task Replays_up_to_an_upper_sequence_number_bound()
    {
        await ReplayAsync(1, 3, long.MaxValue);
        await ExpectReplayedAsync(1, 2, 3);
    }

    [Fact]
    public async Task Replays_no_more_than_the_count_limit()
    {
        await ReplayAsync(1, long.MaxValue, 3);
        await ExpectReplayedAsync(1, 2, 3);
    }

    [Fact]
    public async Task Replays_between_lower_and_upper_bounds()
    {
        await ReplayAsync(2, 3, long.MaxValue);
        await ExpectReplayedAsync(2, 3);
    }

    [Fact]
    public async Task Replays_between_bounds_and_within_the_count_limit()
    {
        await ReplayAsync(2, 5, 2);
        await ExpectReplayedAsync(2, 3);
    }

    [Fact]
    public async Task Replays_a_single_message_when_the_lower_bound_equals_the_upper_bound()
    {
        await ReplayAsync(2, 2, long.MaxValue);
        await ExpectReplayedAsync(2);
    }

    [Fact]
    public async Task Replays_a_single_message_when_the_count_limit_is_one()
    {
        await ReplayAsync(2, 4, 1);
        await ExpectReplayedAsync(2);
    }

    [Fact]
    public async Task Replays_nothing_when_the_count_limit_is_zero()
    {
        await ReplayAsync(2, 4, 0);
        await ExpectReplayedAsync();
    }

    [Fact]
    public async Task Replays_nothing_when_the_lower_bound_is_above_the_upper_bound()
    {
        await ReplayAsync(3, 2, long.MaxValue);
        await ExpectReplayedAsync();
    }

    [Fact]
    public async Task Replays_nothing_for_a_persistence_id_that_never_wrote_and_reports_highest_zero()
    {
        Journal.Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, "non-existing-pid", _receiver.Ref));
        await _receiver.ExpectMsgAsync<RecoverySuccess>(m => m.HighestSequenceNr == 0L);
    }

    [Fact]
    public async Task Does_not_replay_messages_deleted_by_a_range_deletion()
    {
        var deleter = CreateTestProbe();
        var subscriber = CreateTestProbe();
        Sys.EventStream.Subscribe(subscriber.Ref, typeof(DeleteMessagesTo));
        Journal.Tell(new DeleteMessagesTo(_pid, 3, deleter.Ref));
        await subscriber.ExpectMsgAsync<DeleteMessagesTo>(m => m.PersistenceId == _pid && m.ToSequenceNr == 3);
        await deleter.ExpectMsgAsync<DeleteMessagesSuccess>(m => m.ToSequenceNr == 3);

        await ReplayAsync(1, long.MaxValue, long.MaxValue);
        await ExpectReplayedAsync(4, 5);
        await deleter.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Does_not_reset_the_highest_sequence_number_after_a_deletion()
    {
        Journal.Tell(new DeleteMessagesTo(_pid, 3, _receiver.Ref));
        await _receiver.ExpectMsgAsync<DeleteMessagesSuccess>(m => m.ToSequenceNr == 3);

        await ReplayAsync(0, long.MaxValue, long.MaxValue);
        await ExpectReplayedAsync(4, 5);
    }

    [Fact]
    public async Task Does_not_reset_the_highest_sequence_number_after_every_message_was_deleted()
    {
        Journal.Tell(new DeleteMessagesTo(_pid, long.MaxValue, _receiver.Ref));
        await _receiver.ExpectMsgAsync<DeleteMessagesSuccess>(m => m.ToSequenceNr == long.MaxValue);

        await ReplayAsync(0, long.MaxValue, long.MaxValue);
        await ExpectReplayedAsync();
        Assert.Equal(0, await Db.SortedSetLengthAsync(JournalKey));
        Assert.Equal("5", (string?)await Db.StringGetAsync(JournalKey + ":highestSequenceNr"));
    }

    [Fact]
    public async Task Writes_the_several_events_of_one_atomic_write_together()
    {
        var probe = CreateTestProbe();
        Journal.Tell(new WriteMessages([new AtomicWrite([Event(6), Event(7), Event(8)])], probe.Ref, 1));
        await probe.ExpectMsgAsync<WriteMessagesSuccessful>();
        for (var i = 6; i <= 8; i++)
        {
            var n = i;
            await probe.ExpectMsgAsync<WriteMessageSuccess>(m => m.Persistent.SequenceNr == n);
        }

        await ReplayAsync(6, long.MaxValue, long.MaxValue);
        await ExpectReplayedUpToAsync(8, 6, 7, 8);
    }

    [Fact]
    public async Task Rejects_a_whole_atomic_write_with_an_unserializable_event_and_only_that_write()
    {
        var probe = CreateTestProbe();
        var bad = Event(8, new UnserializableEvent("b-8"));
        Journal.Tell(new WriteMessages(
            [new AtomicWrite(Event(6)), new AtomicWrite([Event(7), bad]), new AtomicWrite(Event(9))], probe.Ref, 1));

        await probe.ExpectMsgAsync<WriteMessagesSuccessful>();
        await probe.ExpectMsgAsync<WriteMessageSuccess>(m => m.Persistent.SequenceNr == 6);
        await probe.ExpectMsgAsync<WriteMessageRejected>(m => m.Persistent.SequenceNr == 7 && m.Cause is System.Runtime.Serialization.SerializationException);
        await probe.ExpectMsgAsync<WriteMessageRejected>(m => m.Persistent.SequenceNr == 8 && m.Persistent.Payload is UnserializableEvent);
        await probe.ExpectMsgAsync<WriteMessageSuccess>(m => m.Persistent.SequenceNr == 9);

        // Nothing of the rejected write reached Redis: not even its serializable first event.
        await ReplayAsync(6, long.MaxValue, long.MaxValue);
        await ExpectReplayedUpToAsync(9, 6, 9);
    }

    [Fact]
    public async Task Keeps_the_writes_of_concurrent_writers_to_different_persistence_ids_apart()
    {
        var writers = Enumerable.Range(1, 8).Select(w => $"{_pid}-writer-{w}").ToArray();
        await Task.WhenAll(writers.Select(async pid =>
        {
            // Each writer sends its events one command at a time, as a persistent actor does, all writers at once.
            var probe = CreateTestProbe();
            for (var i = 1; i <= 25; i++)
            {
                Journal.Tell(new WriteMessages([new AtomicWrite(Event(i, pid: pid))], probe.Ref, 1));
                await probe.ExpectMsgAsync<WriteMessagesSuccessful>();
                await probe.ExpectMsgAsync<WriteMessageSuccess>();
            }
        }));

        foreach (var pid in writers)
        {
            var probe = CreateTestProbe();
            Journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, pid, probe.Ref));
            for (var i = 1; i <= 25; i++)
            {
                var n = i;
                await probe.ExpectMsgAsync<ReplayedMessage>(m => m.Persistent.PersistenceId == pid && m.Persistent.SequenceNr == n && m.Persistent.Payload.Equals($"a-{n}"));
            }
            await probe.ExpectMsgAsync<RecoverySuccess>(m => m.HighestSequenceNr == 25);
        }
    }

    [Fact]
    public async Task Stores_events_in_the_official_plugins_layout()
    {
        // akkadotnet/Akka.Persistence.Redis : JournalHelper.cs GetJournalKey / GetHighestSequenceNrKey.
        var entries = await Db.SortedSetRangeByScoreWithScoresAsync(JournalKey);
        Assert.Equal([1d, 2d, 3d, 4d, 5d], entries.Select(e => e.Score));
        Assert.Equal("5", (string?)await Db.StringGetAsync(JournalKey + ":highestSequenceNr"));

        // Read back the way the official plugin reads: the serializer bound to Persistent, by its id.
        var serializer = Sys.Serialization.FindSerializerForType(typeof(Persistent));
        Assert.Equal(7, serializer.Identifier);
        var first = (IPersistentRepresentation)Sys.Serialization.Deserialize((byte[])entries[0].Element!, serializer.Identifier, typeof(Persistent));
        Assert.Equal(("a-1", 1L, _pid, _writerGuid), (first.Payload, first.SequenceNr, first.PersistenceId, first.WriterGuid));
        Assert.True(first.Timestamp > 0, "the write time is stamped, as the official plugin does");
    }

    private string JournalKey => $"{_keyPrefix}journal:persisted:{_pid}";

    private Persistent Event(long sequenceNr, object? payload = null, string? pid = null) =>
        new(payload ?? $"a-{sequenceNr}", sequenceNr, pid ?? _pid, string.Empty, false, ActorRefs.NoSender, _writerGuid);

    private Task ReplayAsync(long from, long to, long max)
    {
        Journal.Tell(new ReplayMessages(from, to, max, _pid, _receiver.Ref));
        return Task.CompletedTask;
    }

    private Task ExpectReplayedAsync(params long[] sequenceNrs) => ExpectReplayedUpToAsync(5, sequenceNrs);

    /// <summary>Exactly these events, in order, then the recovery's end with the highest sequence number.</summary>
    private async Task ExpectReplayedUpToAsync(long highest, params long[] sequenceNrs)
    {
        foreach (var n in sequenceNrs)
        {
            await _receiver.ExpectMsgAsync<ReplayedMessage>(m =>
                !m.Persistent.IsDeleted && m.Persistent.Payload.Equals($"a-{n}") && m.Persistent.PersistenceId == _pid
                && m.Persistent.SequenceNr == n && m.Persistent.WriterGuid == _writerGuid);
        }
        await _receiver.ExpectMsgAsync<RecoverySuccess>(m => m.HighestSequenceNr == highest);
    }
}
