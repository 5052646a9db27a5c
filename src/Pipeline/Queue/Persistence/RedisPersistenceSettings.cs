using Akka.Configuration;

namespace VideoAkka.Pipeline.Queue.Persistence;

/// <summary>
/// One plugin's settings (journal or snapshot store), read from its HOCON section with the embedded defaults under
/// it. The keys are the official plugin's (akkadotnet/Akka.Persistence.Redis : RedisPersistence.cs, RedisSettings).
/// </summary>
/// <param name="ConfigurationString">Used only when no connection was shared through <see cref="RedisPersistenceConnection"/>.</param>
/// <param name="Database">The database number; ignored on a Redis Cluster, which has only 0.</param>
/// <param name="UseDatabaseNumberFromConnectionString">Take the database named by the connection instead.</param>
/// <param name="KeyPrefix">Put in front of every key, as is (no separator is added).</param>
public sealed record RedisPersistenceSettings(
    string ConfigurationString,
    int Database,
    bool UseDatabaseNumberFromConnectionString,
    string KeyPrefix)
{
    /// <param name="pluginConfig">The plugin's own section, e.g. <c>akka.persistence.journal.redis</c>.</param>
    /// <param name="pluginId">Which defaults to put under it.</param>
    public static RedisPersistenceSettings Create(Config pluginConfig, string pluginId)
    {
        var config = pluginConfig.WithFallback(RedisPersistence.DefaultConfig().GetConfig(pluginId));
        var database = config.GetInt("database", 0);
        if (database < 0)
        {
            throw new ConfigurationException($"{pluginId}.database must be 0 or more, got {database}");
        }
        return new RedisPersistenceSettings(
            config.GetString("configuration-string", string.Empty),
            database,
            config.GetBoolean("use-database-number-from-connection-string", false),
            config.GetString("key-prefix", string.Empty));
    }
}
