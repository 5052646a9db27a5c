using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// A redis-server child process on a free loopback port: what the service runs on when REDIS_URL is unset, and what
/// the tests run on. Stopped (and waited for) on dispose.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <param name="dataDirectory">Where redis keeps its append-only file; null for a throwaway server (no persistence).</param>
    public static async Task<RedisServerProcess> StartAsync(string? dataDirectory, CancellationToken cancellationToken = default)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--protected-mode", "yes" })
        {
            start.ArgumentList.Add(arg);
        }
        if (dataDirectory is null)
        {
            start.ArgumentList.Add("--appendonly");
            start.ArgumentList.Add("no");
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            await StopOrphanAsync(dataDirectory).ConfigureAwait(false);
            foreach (var arg in new[] { "--dir", Path.GetFullPath(dataDirectory), "--appendonly", "yes" })
            {
                start.ArgumentList.Add(arg);
            }
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server (or set REDIS_URL)", ex);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new RedisServerProcess(process, port);
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (dataDirectory is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(dataDirectory, OwnerFile), $"{process.Id} {port}", cancellationToken).ConfigureAwait(false);
        }
        return server;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {Port}");
            }
            try
            {
                using var probe = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
                {
                    EndPoints = { { "127.0.0.1", Port } },
                    ConnectTimeout = 500,
                    AbortOnConnectFail = true,
                }).ConfigureAwait(false);
                await probe.GetDatabase().PingAsync().ConfigureAwait(false);
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Names the server last started on a data folder ("pid port"), so a later start can stop it if its
    /// parent died without doing so: two servers must never append to one file.</summary>
    private const string OwnerFile = "embedded-redis.owner";

    private static async Task StopOrphanAsync(string dataDirectory)
    {
        var ownerFile = Path.Combine(dataDirectory, OwnerFile);
        if (!File.Exists(ownerFile))
        {
            return;
        }
        var parts = (await File.ReadAllTextAsync(ownerFile).ConfigureAwait(false)).Split(' ');
        File.Delete(ownerFile);
        if (parts.Length != 2 || !int.TryParse(parts[0], out var pid) || !int.TryParse(parts[1], out var port))
        {
            return;
        }
        try
        {
            using var orphan = Process.GetProcessById(pid);
            if (orphan.ProcessName != "redis-server")
            {
                return; // the pid was reused by something else
            }
            await new RedisServerProcess(orphan, port).DisposeAsync().ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // Not running any more.
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Asks redis to shut down (it flushes its append-only file), and kills it if it has not within 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                using var admin = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
                {
                    EndPoints = { { "127.0.0.1", Port } },
                    AllowAdmin = true,
                    ConnectTimeout = 1000,
                }).ConfigureAwait(false);
                admin.GetServer("127.0.0.1", Port).Shutdown();
            }
            catch (RedisException)
            {
                // The connection drops as the server goes down, or it was already unreachable: the wait below decides.
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        _process.Dispose();
    }
}
