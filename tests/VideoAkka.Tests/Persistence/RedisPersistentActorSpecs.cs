using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using VideoAkka.Pipeline.Queue.Persistence;

namespace VideoAkka.Tests.Persistence;

/// <summary>
/// Both plugins under a real persistent actor: what it persisted in one actor system, and the snapshot it saved,
/// come back from Redis in another one, as after a worker restart.
/// </summary>
public sealed class RedisPersistentActorSpecs(RedisPersistenceFixture redis) : IClassFixture<RedisPersistenceFixture>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_persistent_actor_recovers_its_snapshot_and_later_events_in_a_new_actor_system()
    {
        var config = RedisPersistenceFixture.SpecConfig(RedisPersistenceFixture.NewKeyPrefix());

        var first = StartSystem("first", config);
        var writer = first.ActorOf(Props.Create(() => new Recorder("job-1")));
        Assert.Equal("a", await writer.Ask<string>(new Recorder.Add("a"), Soon));
        Assert.Equal("b", await writer.Ask<string>(new Recorder.Add("b"), Soon));
        Assert.Equal(2L, await writer.Ask<long>(Recorder.Snap.Instance, Soon));
        Assert.Equal("c", await writer.Ask<string>(new Recorder.Add("c"), Soon));
        await first.Terminate();

        var second = StartSystem("second", config);
        try
        {
            var recovered = second.ActorOf(Props.Create(() => new Recorder("job-1")));
            var state = await recovered.Ask<Recorder.State>(Recorder.Get.Instance, Soon);
            Assert.Equal(["a", "b", "c"], state.Events);
            Assert.Equal(2L, state.SnapshotSequenceNr);
            Assert.Equal(3L, state.LastSequenceNr);
        }
        finally
        {
            await second.Terminate();
        }
    }

    [Fact]
    public async Task A_second_writer_for_one_persistence_id_is_refused_instead_of_interleaving_its_events()
    {
        var system = StartSystem("writers", RedisPersistenceFixture.SpecConfig(RedisPersistenceFixture.NewKeyPrefix()));
        try
        {
            var first = system.ActorOf(Props.Create(() => new Recorder("job-2")));
            var stale = system.ActorOf(Props.Create(() => new Recorder("job-2")));
            Assert.Equal(0L, (await stale.Ask<Recorder.State>(Recorder.Get.Instance, Soon)).LastSequenceNr); // recovered: nothing yet
            Assert.Equal("a", await first.Ask<string>(new Recorder.Add("a"), Soon));
            var probe = system.ActorOf(Props.Create(() => new DeathWatch(stale)));

            stale.Tell(new Recorder.Add("b")); // sequence number 1 again

            Assert.True(await probe.Ask<bool>("stopped?", Soon));
            var reader = system.ActorOf(Props.Create(() => new Recorder("job-2")));
            Assert.Equal(["a"], (await reader.Ask<Recorder.State>(Recorder.Get.Instance, Soon)).Events);
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>Answers true once the watched actor has stopped.</summary>
    private sealed class DeathWatch : ReceiveActor
    {
        private IActorRef? _asker;
        private bool _stopped;

        public DeathWatch(IActorRef watched)
        {
            Context.Watch(watched);
            Receive<Terminated>(_ =>
            {
                _stopped = true;
                _asker?.Tell(true);
            });
            Receive<string>(_ =>
            {
                _asker = Sender;
                if (_stopped)
                {
                    Sender.Tell(true);
                }
            });
        }
    }

    private ActorSystem StartSystem(string name, Config config)
    {
        var system = ActorSystem.Create(name, config);
        RedisPersistenceConnection.Get(system).Use(redis.Redis.Connection);
        return system;
    }

    /// <summary>Persists strings and snapshots them on demand; tells what it recovered from.</summary>
    private sealed class Recorder : ReceivePersistentActor
    {
        private ImmutableList<string> _events = [];
        private long? _snapshotSequenceNr;

        public Recorder(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<SnapshotOffer>(offer =>
            {
                _events = [.. (string[])offer.Snapshot];
                _snapshotSequenceNr = offer.Metadata.SequenceNr;
            });
            Recover<string>(e => _events = _events.Add(e));
            Command<Add>(add => Persist(add.Value, e =>
            {
                _events = _events.Add(e);
                Sender.Tell(e);
            }));
            Command<Snap>(_ =>
            {
                SaveSnapshot(_events.ToArray());
                _snapshotRequester = Sender;
            });
            Command<SaveSnapshotSuccess>(ok => _snapshotRequester?.Tell(ok.Metadata.SequenceNr));
            Command<Get>(_ => Sender.Tell(new State([.. _events], _snapshotSequenceNr, LastSequenceNr)));
        }

        private IActorRef? _snapshotRequester;

        public override string PersistenceId { get; }

        public sealed record Add(string Value);

        public sealed record Snap
        {
            public static Snap Instance { get; } = new();
        }

        public sealed record Get
        {
            public static Get Instance { get; } = new();
        }

        public sealed record State(string[] Events, long? SnapshotSequenceNr, long LastSequenceNr);
    }
}
