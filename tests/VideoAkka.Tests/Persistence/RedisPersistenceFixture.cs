using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using VideoAkka.Pipeline.Queue.Persistence;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Persistence;

/// <summary>One real redis-server per spec class; each test keeps to its own key prefix, so tests never see each
/// other's events.</summary>
public sealed class RedisPersistenceFixture : IAsyncLifetime
{
    public TestRedis Redis { get; private set; } = null!;

    public async Task InitializeAsync() => Redis = await TestRedis.StartAsync();

    public async Task DisposeAsync() => await Redis.DisposeAsync();

    /// <summary>
    /// An actor system on both Redis plugins, under a fresh key prefix: what the TCK's PluginSpec builds (the plugin's
    /// defaults, Akka.Persistence's, plugin commands published), plus a serializer that always fails, bound to
    /// <see cref="UnserializableEvent"/>, so a rejected write is certain rather than left to the JSON serializer.
    /// </summary>
    public static Config SpecConfig(string keyPrefix) =>
        ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.persistence {
              publish-plugin-commands = on
              journal.plugin = "{{RedisPersistence.JournalPluginId}}"
              journal.redis.key-prefix = "{{keyPrefix}}"
              snapshot-store.plugin = "{{RedisPersistence.SnapshotStorePluginId}}"
              snapshot-store.redis.key-prefix = "{{keyPrefix}}"
            }
            akka.actor {
              serializers.always-failing = "{{typeof(FailingSerializer).AssemblyQualifiedName}}"
              serialization-bindings { "{{typeof(UnserializableEvent).AssemblyQualifiedName}}" = always-failing }
            }
            """)
            .WithFallback(RedisPersistence.DefaultConfig())
            .WithFallback(Akka.Persistence.Persistence.DefaultConfig());

    public static string NewKeyPrefix() => $"spec-{Guid.NewGuid():N}:";
}

/// <summary>An event no serializer can write.</summary>
public sealed record UnserializableEvent(string Name);

/// <summary>Fails every write, as a serializer does on a type it cannot handle.</summary>
public sealed class FailingSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 9901;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) =>
        throw new System.Runtime.Serialization.SerializationException($"{obj.GetType().Name} cannot be serialized");

    public override object FromBinary(byte[] bytes, Type? type) => throw new NotSupportedException();
}
