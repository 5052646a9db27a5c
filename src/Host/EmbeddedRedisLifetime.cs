using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Host;

/// <summary>Stops the embedded redis-server when the host stops. Registered before Akka, so it stops after the
/// worker has recorded what it could.</summary>
internal sealed class EmbeddedRedisLifetime(RedisServerProcess redis) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await redis.DisposeAsync();
}
