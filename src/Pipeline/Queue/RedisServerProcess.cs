using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// A redis-server child process on a free loopback port: what the service runs on when REDIS_URL is unset (see
/// <see cref="EmbeddedRedis"/>), and what the tests run on. Stopped (and waited for) on dispose.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    /// <summary>redis's own log, in its data folder (redis opens it for every line, so restarts append to it).</summary>
    public const string LogFileName = "redis.log";

    private readonly Process _process;

    private RedisServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    private const string Setpriv = "/usr/bin/setpriv";

    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <param name="dataDirectory">Where redis keeps its append-only file and its log; null for a throwaway server
    /// (no persistence, no log).</param>
    /// <param name="port">A loopback port (a restart on the same one); null picks a free one.</param>
    /// <param name="password">Required of every client (requirepass): letters and digits. It is handed to redis on
    /// its standard input, so it is in no command line (ps shows every one to every user) and in no file. Null: none,
    /// for the tests' throwaway servers.</param>
    /// <param name="diesWith">Given, the server is started from this thread through util-linux's
    /// <c>setpriv --pdeathsig TERM</c>: when the service dies, even by SIGKILL, the kernel sends the server SIGTERM and
    /// it ends (writing its append-only file) instead of living on without its password's only holder.</param>
    public static async Task<RedisServerProcess> StartAsync(
        string? dataDirectory, CancellationToken cancellationToken = default, int? port = null, string? password = null,
        Media.SpawnThread? diesWith = null)
    {
        if (password is not null && (password.Length == 0 || !password.All(char.IsAsciiLetterOrDigit)))
        {
            throw new ArgumentException("The embedded Redis password must be letters and digits", nameof(password));
        }
        port ??= FreeLoopbackPort();
        var dieWithService = diesWith is not null && OperatingSystem.IsLinux() && File.Exists(Setpriv);
        var start = new ProcessStartInfo(dieWithService ? Setpriv : "redis-server")
        {
            RedirectStandardInput = password is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (dieWithService)
        {
            foreach (var arg in new[] { "--pdeathsig", "TERM", "--", "redis-server" })
            {
                start.ArgumentList.Add(arg); // setpriv execs redis-server: the same process, its pid is the server's
            }
        }
        if (password is not null)
        {
            start.ArgumentList.Add("-"); // "read configuration from stdin too"; the arguments after it still apply
        }
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
            var folder = Path.GetFullPath(dataDirectory);
            foreach (var arg in new[] { "--dir", folder, "--appendonly", "yes", "--logfile", Path.Combine(folder, LogFileName) })
            {
                start.ArgumentList.Add(arg);
            }
        }

        Process process;
        try
        {
            process = (dieWithService ? await diesWith!.RunAsync(() => Process.Start(start)).ConfigureAwait(false) : Process.Start(start))
                ?? throw new InvalidOperationException("redis-server did not start");
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
            if (password is not null)
            {
                // redis reads its standard input to the end before it starts.
                await process.StandardInput.WriteLineAsync($"requirepass {password}".AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            await server.WaitUntilReadyAsync(password, dataDirectory, cancellationToken).ConfigureAwait(false);
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

    private async Task WaitUntilReadyAsync(string? password, string? dataDirectory, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (_process.HasExited)
            {
                var log = dataDirectory is null ? "" : $" (see {Path.Combine(Path.GetFullPath(dataDirectory), LogFileName)})";
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {Port}{log}");
            }
            try
            {
                using var probe = await ConnectLoopbackAsync(Port, connectTimeoutMs: 500, password).ConfigureAwait(false);
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
            // Its password is known to that process only: it cannot be shared, only replaced by a Redis of one's own.
            throw new InvalidOperationException(
                $"{dataDirectory} holds the embedded Redis of another running VideoAkka (pid {parent}): stop it or use " +
                "another DATA_SHARED_BASE; for several processes on one Redis, run a redis-server of your own and set REDIS_URL on each");
        }
        // Ours if it is a redis-server working in this folder (redis changes into its --dir): the owner file is then
        // seen through its working directory, whatever links lead to the folder. Its password died with its parent,
        // so it is asked to stop with SIGTERM, not SHUTDOWN.
        var ours = ProcessName(pid) == "redis-server" && File.Exists($"/proc/{pid}/cwd/{OwnerFile}");
        File.Delete(ownerFile);
        if (!ours)
        {
            return; // gone, or the pid now belongs to something else
        }
        Process orphan;
        try
        {
            orphan = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return; // it ended meanwhile
        }
        using (orphan)
        {
            await new RedisServerProcess(orphan, port).DisposeAsync().ConfigureAwait(false);
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

    /// <summary>A short-lived connection to a server of ours on loopback, to see it answer.</summary>
    private static Task<ConnectionMultiplexer> ConnectLoopbackAsync(int port, int connectTimeoutMs, string? password) =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { IPAddress.Loopback, port } },
            ConnectTimeout = connectTimeoutMs,
            AbortOnConnectFail = true,
            Password = password,
        });

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int SigTerm = 15;

    // .NET sends only SIGKILL; SIGTERM is redis's orderly shutdown, which needs no password (an orphan's is lost).
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Asks redis to shut down with SIGTERM (it flushes its append-only file, as SHUTDOWN does), and kills it
    /// if it has not within 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            SendSignal(_process.Id, SigTerm); // fails only if it has just exited: the wait below decides
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
