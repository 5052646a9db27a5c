using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// The redis-server the service runs itself when REDIS_URL is unset, in DATA_SHARED_BASE/.redis. It binds loopback
/// only and requires a password made new at every start: every process on the machine can reach a loopback port, and
/// the queue, the records and the webhook outbox are in it. Its log is redis.log beside its append-only file. If it
/// dies, <see cref="SuperviseAsync"/> starts it again on the same port and folder with the same password, so every
/// connection finds it again and the append-only file gives the queue back. The one owner of the server process.
/// </summary>
public sealed class EmbeddedRedis : IEmbeddedRedisStatus, IAsyncDisposable
{
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    private readonly string _dataDirectory;
    private readonly string _password;
    // Replacing the server and disposing it are serialised, so a restart finishing as the service stops cannot leave
    // a redis-server behind.
    private readonly SemaphoreSlim _swap = new(1, 1);
    // The parent-death signal is tied to the thread that started the server: every start, restarts too, comes from here.
    private readonly Media.SpawnThread _spawner;
    private RedisServerProcess _server;
    private volatile bool _disposed;

    private EmbeddedRedis(string dataDirectory, string password, RedisServerProcess server, Media.SpawnThread spawner)
    {
        _spawner = spawner;
        _dataDirectory = dataDirectory;
        _password = password;
        _server = server;
        Port = server.Port;
    }

    /// <summary>Its loopback port, the same across restarts.</summary>
    public int Port { get; }

    public string LogFile => Path.Combine(_dataDirectory, RedisServerProcess.LogFileName);

    public bool IsRestarting => Volatile.Read(ref _server).HasExited;

    public static async Task<EmbeddedRedis> StartAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        // 256 bits from the OS's generator, in hex: redis's configuration syntax needs no quoting for it.
        var password = RandomNumberGenerator.GetHexString(64, lowercase: true);
        var spawner = new Media.SpawnThread();
        var server = await RedisServerProcess.StartAsync(dataDirectory, cancellationToken, password: password, diesWith: spawner).ConfigureAwait(false);
        return new EmbeddedRedis(Path.GetFullPath(dataDirectory), password, server, spawner);
    }

    /// <summary>How the service connects: loopback, with the password. A new instance per call (options are mutable).</summary>
    public ConfigurationOptions ConnectionOptions() => new()
    {
        EndPoints = { { IPAddress.Loopback, Port } },
        Password = _password,
        AbortOnConnectFail = false,
    };

    /// <summary>Restarts the server whenever it exits, until <paramref name="stopping"/>: first after
    /// <paramref name="restartDelay"/> (a crash is not retried in a tight loop), the wait doubling while starts fail,
    /// up to 30 s. Never throws but for the cancellation it was given.</summary>
    public async Task SuperviseAsync(TimeSpan restartDelay, ILogger logger, CancellationToken stopping)
    {
        while (true)
        {
            var server = Volatile.Read(ref _server);
            try
            {
                await server.WaitForExitAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested || _disposed)
            {
                return; // the process handle may be gone with the service: a fault here must not stop the host
            }
            if (_disposed)
            {
                return; // stopped with the service, not died
            }
            logger.LogWarning("The embedded redis-server on port {Port} exited with code {ExitCode}; restarting it on the same port and data (its log: {Log})",
                Port, server.ExitCode, LogFile);
            var delay = restartDelay;
            while (true)
            {
                try
                {
                    await Task.Delay(delay, stopping).ConfigureAwait(false);
                    await RestartAsync(stopping).ConfigureAwait(false);
                    logger.LogInformation("The embedded redis-server is back on port {Port}", Port);
                    break;
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // The reasons RedisServerProcess gives name the port and the log, never the password.
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRestartDelay.Ticks));
                    logger.LogError("The embedded redis-server did not start again: {Reason}; trying again in {Delay}", e.Message, delay);
                }
            }
        }
    }

    private async Task RestartAsync(CancellationToken cancellationToken)
    {
        var started = await RedisServerProcess.StartAsync(_dataDirectory, cancellationToken, Port, _password, _spawner).ConfigureAwait(false);
        RedisServerProcess stale;
        await _swap.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                stale = started; // the service stopped while it started: it must not outlive the service
            }
            else
            {
                stale = _server;
                Volatile.Write(ref _server, started);
            }
        }
        finally
        {
            _swap.Release();
        }
        await stale.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the server (redis flushes its append-only file) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _swap.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        finally
        {
            _swap.Release();
        }
        await _server.DisposeAsync().ConfigureAwait(false);
    }
}
