using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue.Persistence;

/// <summary>
/// Where the journal and the snapshot store get their Redis connection, per actor system. The composition root hands
/// over the queue's multiplexer with <see cref="Use"/>, so events live in the same Redis as the jobs and no second
/// connection is opened; without one, a plugin connects by its <c>configuration-string</c> (as the official plugin
/// always does) and the connection is closed when the actor system terminates.
/// </summary>
public sealed class RedisPersistenceConnection : IExtension
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ConnectionMultiplexer>>> _owned = new(StringComparer.Ordinal);
    private IConnectionMultiplexer? _shared;

    public RedisPersistenceConnection(ExtendedActorSystem system)
    {
        system.RegisterOnTermination(DisposeOwned);
    }

    public static RedisPersistenceConnection Get(ActorSystem system) =>
        system.WithExtension<RedisPersistenceConnection, RedisPersistenceConnectionProvider>();

    /// <summary>Share an existing connection with both plugins. Call it before the first persistent actor starts;
    /// the connection stays the caller's to dispose.</summary>
    public void Use(IConnectionMultiplexer connection) =>
        Volatile.Write(ref _shared, connection ?? throw new ArgumentNullException(nameof(connection)));

    /// <summary>The database and key names a plugin works with.</summary>
    internal async Task<RedisPersistenceTarget> ResolveAsync(RedisPersistenceSettings settings, CancellationToken cancellationToken)
    {
        var connection = Volatile.Read(ref _shared) ?? await ConnectAsync(settings.ConfigurationString, cancellationToken).ConfigureAwait(false);
        // A Redis Cluster has only database 0, and the official plugin hash-tags its keys there.
        var clustered = connection.GetServers().Any(server => server.ServerType == ServerType.Cluster);
        var database = clustered ? 0
            : settings.UseDatabaseNumberFromConnectionString && ConfigurationOptions.Parse(connection.Configuration).DefaultDatabase is { } fromConnection
                ? fromConnection
                : settings.Database;
        return new RedisPersistenceTarget(connection.GetDatabase(database), new RedisPersistenceKeys(settings.KeyPrefix, clustered));
    }

    private async Task<IConnectionMultiplexer> ConnectAsync(string configurationString, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(configurationString))
        {
            throw new ConfigurationException(
                "The Redis persistence plugins have no connection: share one with RedisPersistenceConnection.Use or set configuration-string");
        }
        // Both plugins ask for the same string: they share one connection.
        var lazy = _owned.GetOrAdd(configurationString, cs => new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(cs))));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (lazy.Value.IsFaulted)
        {
            // Forget a failed attempt so that the next write or recovery tries again instead of failing forever.
            _owned.TryRemove(KeyValuePair.Create(configurationString, lazy));
            throw;
        }
    }

    private void DisposeOwned()
    {
        foreach (var lazy in _owned.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            lazy.Value.Result.Dispose();
        }
        _owned.Clear();
    }
}

/// <summary>Creates the one <see cref="RedisPersistenceConnection"/> of an actor system.</summary>
public sealed class RedisPersistenceConnectionProvider : ExtensionIdProvider<RedisPersistenceConnection>
{
    public override RedisPersistenceConnection CreateExtension(ExtendedActorSystem system) => new(system);
}

/// <summary>A plugin's database and key names, resolved once per plugin actor.</summary>
internal sealed record RedisPersistenceTarget(IDatabase Db, RedisPersistenceKeys Keys);

/// <summary>
/// A plugin actor's <see cref="RedisPersistenceTarget"/>, resolved on first use so that the composition root may
/// share its connection after the actor system started; a failed resolution is tried again by the next call. Safe
/// from the continuations Akka runs a plugin's calls on, off the actor's thread.
/// </summary>
internal sealed class LazyRedisPersistenceTarget(ActorSystem system, RedisPersistenceSettings settings)
{
    private Task<RedisPersistenceTarget>? _target;

    public Task<RedisPersistenceTarget> GetAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _target);
        if (current is { IsFaulted: false, IsCanceled: false })
        {
            return current;
        }
        var fresh = RedisPersistenceConnection.Get(system).ResolveAsync(settings, cancellationToken);
        return Interlocked.CompareExchange(ref _target, fresh, current) == current ? fresh : Volatile.Read(ref _target)!;
    }
}
