using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Host;

/// <summary>Keeps the embedded redis-server running while the host runs (see <see cref="EmbeddedRedis"/>). Registered
/// before Akka, so it stops after the worker (whose hand-back needs Redis) and before the server is stopped.</summary>
internal sealed class EmbeddedRedisSupervisor(EmbeddedRedis redis, TimeSpan restartDelay, ILogger<EmbeddedRedisSupervisor> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => redis.SuperviseAsync(restartDelay, logger, stoppingToken);
}
