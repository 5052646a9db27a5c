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
}
