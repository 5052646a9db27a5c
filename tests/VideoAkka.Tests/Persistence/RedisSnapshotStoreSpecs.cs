using System.Text;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue.Persistence;
using Xunit.Abstractions;

namespace VideoAkka.Tests.Persistence;

/// <summary>
/// The Redis snapshot store, tested the way Akka's persistence TCK does (akkadotnet/akka.net :
/// src/core/Akka.Persistence.TCK/Snapshot/SnapshotStoreSpec.cs, ported to xunit v2): every test starts from
/// snapshots "s-1".."s-5" at sequence numbers 11..15 of its own persistence id.
/// </summary>
public sealed class RedisSnapshotStoreSpecs : Akka.TestKit.Xunit2.TestKit, IClassFixture<RedisPersistenceFixture>, IAsyncLifetime
{
    private static int _counter;

    private readonly RedisPersistenceFixture _redis;
    private readonly string _keyPrefix;
    private readonly TestProbe _sender;
    private readonly string _pid = $"s-{Interlocked.Increment(ref _counter)}";
    private List<SnapshotMetadata> _metadata = [];

    public RedisSnapshotStoreSpecs(RedisPersistenceFixture redis, ITestOutputHelper output)
        : this(redis, RedisPersistenceFixture.NewKeyPrefix(), output)
    {
    }

    private RedisSnapshotStoreSpecs(RedisPersistenceFixture redis, string keyPrefix, ITestOutputHelper output)
        : base(RedisPersistenceFixture.SpecConfig(keyPrefix), nameof(RedisSnapshotStoreSpecs), output)
    {
        _redis = redis;
        _keyPrefix = keyPrefix;
        RedisPersistenceConnection.Get(Sys).Use(redis.Redis.Connection);
        _sender = CreateTestProbe();
    }

    private IActorRef SnapshotStore => Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);

    private IDatabase Db => _redis.Redis.Db;

    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 5; i++)
        {
            var metadata = new SnapshotMetadata(_pid, i + 10, Sys.Scheduler.Now.UtcDateTime);
            SnapshotStore.Tell(new SaveSnapshot(metadata, $"s-{i}"), _sender.Ref);
            _metadata.Add((await _sender.ExpectMsgAsync<SaveSnapshotSuccess>()).Metadata);
            // Distinct timestamps, so that the timestamp bounds below select what they name.
            await Task.Delay(2);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Loads_nothing_for_an_unknown_persistence_id()
    {
        SnapshotStore.Tell(new LoadSnapshot("invalid", SnapshotSelectionCriteria.Latest, long.MaxValue), _sender.Ref);
        await ExpectNoneAsync(long.MaxValue);
    }

    [Fact]
    public async Task Loads_nothing_when_no_timestamp_matches()
    {
        await LoadAsync(new SnapshotSelectionCriteria(long.MaxValue, new DateTime(100000)));
        await ExpectNoneAsync(long.MaxValue);
    }

    [Fact]
    public async Task Loads_nothing_when_no_sequence_number_matches()
    {
        await LoadAsync(new SnapshotSelectionCriteria(7));
        await ExpectNoneAsync(long.MaxValue);

        await LoadAsync(SnapshotSelectionCriteria.Latest, toSequenceNr: 7);
        await ExpectNoneAsync(7);
    }

    [Fact]
    public async Task Loads_the_newest_snapshot()
    {
        await LoadAsync(SnapshotSelectionCriteria.Latest);
        await ExpectLoadedAsync(4, long.MaxValue);
    }

    [Fact]
    public async Task Loads_the_newest_snapshot_under_an_upper_sequence_number_bound()
    {
        await LoadAsync(new SnapshotSelectionCriteria(13));
        await ExpectLoadedAsync(2, long.MaxValue);

        await LoadAsync(SnapshotSelectionCriteria.Latest, toSequenceNr: 13);
        await ExpectLoadedAsync(2, 13);
    }

    [Fact]
    public async Task Loads_the_newest_snapshot_under_upper_sequence_number_and_timestamp_bounds()
    {
        await LoadAsync(new SnapshotSelectionCriteria(13, _metadata[2].Timestamp));
        await ExpectLoadedAsync(2, long.MaxValue);

        await LoadAsync(new SnapshotSelectionCriteria(long.MaxValue, _metadata[2].Timestamp), toSequenceNr: 13);
        await ExpectLoadedAsync(2, 13);
    }

    [Fact]
    public async Task Loads_the_newest_snapshot_above_lower_sequence_number_and_timestamp_bounds()
    {
        await LoadAsync(new SnapshotSelectionCriteria(14, DateTime.MaxValue, minSequenceNr: 12));
        await ExpectLoadedAsync(3, long.MaxValue);

        // Nothing is both at or under sequence number 12 and at or after the third snapshot's time.
        await LoadAsync(new SnapshotSelectionCriteria(12, DateTime.MaxValue, minTimestamp: _metadata[2].Timestamp));
        await ExpectNoneAsync(long.MaxValue);
    }

    [Fact]
    public async Task Deletes_the_single_snapshot_its_metadata_names()
    {
        var md = _metadata[2];
        await DeleteAsync(new DeleteSnapshot(new SnapshotMetadata(md.PersistenceId, md.SequenceNr, md.Timestamp)));

        await LoadAsync(new SnapshotSelectionCriteria(md.SequenceNr));
        await ExpectLoadedAsync(1, long.MaxValue);
    }

    [Fact]
    public async Task Deletes_the_single_snapshot_at_a_sequence_number_when_the_metadata_has_no_timestamp()
    {
        var md = _metadata[2];
        await DeleteAsync(new DeleteSnapshot(new SnapshotMetadata(md.PersistenceId, md.SequenceNr, DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc))));

        await LoadAsync(new SnapshotSelectionCriteria(md.SequenceNr));
        await ExpectLoadedAsync(1, long.MaxValue);
    }

    [Fact]
    public async Task Does_not_delete_a_snapshot_newer_than_the_metadata_timestamp()
    {
        var md = _metadata[2];
        await DeleteAsync(new DeleteSnapshot(new SnapshotMetadata(md.PersistenceId, md.SequenceNr, md.Timestamp - TimeSpan.FromSeconds(2))));

        await LoadAsync(new SnapshotSelectionCriteria(md.SequenceNr));
        await ExpectLoadedAsync(2, long.MaxValue);
    }

    [Fact]
    public async Task Deletes_every_snapshot_under_upper_sequence_number_and_timestamp_bounds()
    {
        var md = _metadata[2];
        await DeleteAsync(new DeleteSnapshots(_pid, new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp)));

        await LoadAsync(new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp));
        await ExpectNoneAsync(long.MaxValue);
        await LoadAsync(new SnapshotSelectionCriteria(_metadata[3].SequenceNr, _metadata[3].Timestamp));
        await ExpectLoadedAsync(3, long.MaxValue);
        Assert.Equal([14d, 15d], (await Db.SortedSetRangeByScoreWithScoresAsync(SnapshotKey)).Select(e => e.Score));
    }

    [Fact]
    public async Task Does_not_delete_snapshots_outside_the_upper_timestamp_bound()
    {
        var md = _metadata[3];
        var criteria = new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp.Subtract(TimeSpan.FromTicks(1)));
        await DeleteAsync(new DeleteSnapshots(_pid, criteria));

        await LoadAsync(new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp));
        await ExpectLoadedAsync(3, long.MaxValue);
    }

    [Fact]
    public async Task Saving_at_a_taken_sequence_number_replaces_the_snapshot()
    {
        var md = _metadata[4];
        SnapshotStore.Tell(new SaveSnapshot(md, "s-5-modified"), _sender.Ref);
        await _sender.ExpectMsgAsync<SaveSnapshotSuccess>();

        await LoadAsync(new SnapshotSelectionCriteria(md.SequenceNr));
        var result = await _sender.ExpectMsgAsync<LoadSnapshotResult>();
        Assert.Equal("s-5-modified", result.Snapshot.Snapshot);
        Assert.Equal(md.SequenceNr, result.Snapshot.Metadata.SequenceNr);
        Assert.Equal(5, await Db.SortedSetLengthAsync(SnapshotKey));
    }

    [Fact]
    public async Task Saves_a_bigger_snapshot()
    {
        var big = new byte[10000];
        Random.Shared.NextBytes(big);
        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(_pid, 100, Sys.Scheduler.Now.UtcDateTime), big), _sender.Ref);
        await _sender.ExpectMsgAsync<SaveSnapshotSuccess>();

        await LoadAsync(SnapshotSelectionCriteria.Latest);
        Assert.Equal(big, (byte[])(await _sender.ExpectMsgAsync<LoadSnapshotResult>()).Snapshot.Snapshot);
    }

    [Fact]
    public async Task Stores_snapshots_in_the_official_plugins_layout()
    {
        // akkadotnet/Akka.Persistence.Redis : RedisSnapshotStore.cs GetSnapshotKey, scored by sequence number.
        var entries = await Db.SortedSetRangeByScoreWithScoresAsync(SnapshotKey);
        Assert.Equal([11d, 12d, 13d, 14d, 15d], entries.Select(e => e.Score));

        // SnapshotMessages.proto: field 1 (persistenceId, length-delimited), then field 2 (sequenceNr, varint).
        var pid = Encoding.UTF8.GetBytes(_pid);
        byte[] expected = [0x0A, (byte)pid.Length, .. pid, 0x10, 11];
        Assert.Equal(expected, ((byte[])entries[0].Element!).Take(expected.Length));
    }

    private string SnapshotKey => $"{_keyPrefix}snapshot:{_pid}";

    private Task LoadAsync(SnapshotSelectionCriteria criteria, long toSequenceNr = long.MaxValue)
    {
        SnapshotStore.Tell(new LoadSnapshot(_pid, criteria, toSequenceNr), _sender.Ref);
        return Task.CompletedTask;
    }

    private async Task DeleteAsync(object command)
    {
        var subscriber = CreateTestProbe();
        Sys.EventStream.Subscribe(subscriber.Ref, command.GetType());
        SnapshotStore.Tell(command, _sender.Ref);
        await subscriber.ExpectMsgAsync(command);
        await _sender.ExpectMsgAsync<object>(m => m is DeleteSnapshotSuccess or DeleteSnapshotsSuccess);
    }

    private async Task ExpectLoadedAsync(int index, long toSequenceNr) =>
        await _sender.ExpectMsgAsync<LoadSnapshotResult>(r =>
            r.ToSequenceNr == toSequenceNr && r.Snapshot is not null
            && r.Snapshot.Metadata.Equals(_metadata[index]) && r.Snapshot.Snapshot.Equals($"s-{index + 1}"));

    private async Task ExpectNoneAsync(long toSequenceNr) =>
        await _sender.ExpectMsgAsync<LoadSnapshotResult>(r => r.Snapshot is null && r.ToSequenceNr == toSequenceNr);
}
