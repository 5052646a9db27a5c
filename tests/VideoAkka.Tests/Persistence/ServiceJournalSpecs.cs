using Akka.Actor;
using Akka.Persistence;
using Microsoft.Extensions.DependencyInjection;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Persistence;

/// <summary>The worker's actor system journals into the queue's Redis, with its keys beside the queue's.</summary>
public sealed class ServiceJournalSpecs
{
    private sealed class Recorder : ReceivePersistentActor
    {
        public Recorder(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<string>(message => Persist(message, _ => Sender.Tell("stored")));
        }

        public override string PersistenceId { get; }
    }

    [Fact]
    public async Task A_persistent_actor_in_the_service_writes_its_events_to_the_queues_redis_under_the_key_prefix()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var system = service.Services.GetRequiredService<ActorSystem>();

        var recorder = system.ActorOf(Props.Create(() => new Recorder("job-1")));
        Assert.Equal("stored", await recorder.Ask<string>("JobStarted", TimeSpan.FromSeconds(10)));

        Assert.Equal(1, await service.Redis.Db.SortedSetLengthAsync("video_orchestrator:journal:persisted:job-1"));
        Assert.Equal(1, (long)await service.Redis.Db.StringGetAsync("video_orchestrator:journal:persisted:job-1:highestSequenceNr"));
    }
}
