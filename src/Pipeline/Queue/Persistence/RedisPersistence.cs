using Akka.Configuration;

namespace VideoAkka.Pipeline.Queue.Persistence;

/// <summary>
/// The plugin ids and the embedded defaults of the in-house Redis journal and snapshot store. The ids are the
/// official Akka.Persistence.Redis ones, so configuration written against this plugin keeps working after a swap.
/// </summary>
public static class RedisPersistence
{
    public const string JournalPluginId = "akka.persistence.journal.redis";

    public const string SnapshotStorePluginId = "akka.persistence.snapshot-store.redis";

    private const string Resource = "VideoAkka.Pipeline.Queue.Persistence.persistence.conf";

    /// <summary>
    /// The embedded persistence.conf. Put it (and <c>Akka.Persistence.Persistence.DefaultConfig()</c>, whose
    /// serializer bindings Akka reads only at start) under the actor system's configuration.
    /// </summary>
    public static Config DefaultConfig()
    {
        using var stream = typeof(RedisPersistence).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"{Resource} is not embedded");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <summary>What a worker's actor system runs on: these two plugins as its default journal and snapshot store,
    /// their keys beside the queue's (<c>video_orchestrator:journal:persisted:{id}</c>), and Akka.Persistence's own
    /// defaults (its serializer bindings). A fallback: config/akka.hocon can override any of it.</summary>
    public static Config ServiceConfig(RedisKeys keys) =>
        ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal.plugin = "{{JournalPluginId}}"
              snapshot-store.plugin = "{{SnapshotStorePluginId}}"
              journal.redis.key-prefix = "{{keys.Prefix}}:"
              snapshot-store.redis.key-prefix = "{{keys.Prefix}}:"
              # the database REDIS_URL names, like the queue
              journal.redis.use-database-number-from-connection-string = true
              snapshot-store.redis.use-database-number-from-connection-string = true
            }
            """)
            .WithFallback(DefaultConfig())
            .WithFallback(Akka.Persistence.Persistence.DefaultConfig());
}
