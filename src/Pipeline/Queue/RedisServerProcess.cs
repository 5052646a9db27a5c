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
    /// <param name="port">A loopback port (a restart on the same one); null picks a free one.</param>
    public static async Task<RedisServerProcess> StartAsync(string? dataDirectory, CancellationToken cancellationToken = default, int? port = null)
    {
        port ??= FreeLoopbackPort();
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--protected-mode", "yes" })
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

        var server = new RedisServerProcess(process, port.Value);
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
            await File.WriteAllTextAsync(Path.Combine(dataDirectory, OwnerFile), $"{process.Id} {port} {Environment.ProcessId}", cancellationToken).ConfigureAwait(false);
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
                using var probe = await ConnectLoopbackAsync(Port, connectTimeoutMs: 500).ConfigureAwait(false);
                await probe.GetDatabase().PingAsync().ConfigureAwait(false);
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Names the server last started on a data folder and the process that started it ("redis-pid port
    /// parent-pid"), so that a later start can tell a folder in use from one whose parent died without stopping its
    /// server: two servers must never append to one file.</summary>
    private const string OwnerFile = "embedded-redis.owner";

    private static async Task StopOrphanAsync(string dataDirectory)
    {
        var ownerFile = Path.Combine(dataDirectory, OwnerFile);
        if (!File.Exists(ownerFile))
        {
            return;
        }
        var parts = (await File.ReadAllTextAsync(ownerFile).ConfigureAwait(false)).Split(' ');
        if (parts.Length != 3 || !int.TryParse(parts[0], out var pid) || !int.TryParse(parts[1], out var port) || !int.TryParse(parts[2], out var parent))
        {
            File.Delete(ownerFile);
            return;
        }
        if (parent != Environment.ProcessId && CommandLine(parent).Contains("VideoAkka", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{dataDirectory} holds the embedded Redis of another running VideoAkka (pid {parent}): stop it, " +
                $"point REDIS_URL at redis://127.0.0.1:{port}/0 to share it, or use another DATA_SHARED_BASE");
        }
        File.Delete(ownerFile);
        if (ProcessName(pid) != "redis-server" || !await ServesFolderAsync(port, pid).ConfigureAwait(false))
        {
            return; // gone, or the pid or port now belongs to something else
        }
        using var orphan = Process.GetProcessById(pid);
        await new RedisServerProcess(orphan, port).DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Is the redis on this port the process we recorded? (INFO's process_id.)</summary>
    private static async Task<bool> ServesFolderAsync(int port, int pid)
    {
        try
        {
            using var probe = await ConnectLoopbackAsync(port, connectTimeoutMs: 1000).ConfigureAwait(false);
            var info = await probe.GetServer("127.0.0.1", port).InfoAsync("server").ConfigureAwait(false);
            return info.SelectMany(group => group).Any(pair => pair.Key == "process_id" && pair.Value == pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (RedisException)
        {
            return false;
        }
    }

    // /proc/PID/comm is the executable's name; redis rewrites its command line into a title, not this.
    private static string ProcessName(int pid) => ReadProc(pid, "comm").Trim();

    private static string CommandLine(int pid) => ReadProc(pid, "cmdline").Replace('\0', ' ');

    private static string ReadProc(int pid, string entry)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{entry}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>A short-lived admin connection to a server of ours on loopback: probing, identifying, shutting down.</summary>
    private static Task<ConnectionMultiplexer> ConnectLoopbackAsync(int port, int connectTimeoutMs) =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", port } },
            ConnectTimeout = connectTimeoutMs,
            AbortOnConnectFail = true,
            AllowAdmin = true,
        });

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
                using var admin = await ConnectLoopbackAsync(Port, connectTimeoutMs: 1000).ConfigureAwait(false);
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
