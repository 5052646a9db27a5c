using System.Diagnostics;
using System.Globalization;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Bench;

/// <summary>
/// The real service binary as its own OS process in the worker role, on a shared redis-server and data folder: what
/// the chaos benchmark SIGKILLs, as a container runtime or the OOM killer would. In-process workers cannot be killed
/// that way (their actor system would stop in order), so only a separate process shows what a real crash leaves.
/// </summary>
internal sealed class BenchWorkerProcess : IAsyncDisposable
{
    /// <summary>What the service logs once it takes jobs out of Redis (VideoPipelineActor, at INFO).</summary>
    private const string ReadyLine = "Video pipeline running";

    /// <summary>Lines kept for a failure message: the end of the log is what explains a crash.</summary>

    /// <summary>The variables the service reads: whatever the shell running the benchmark has set must not leak in.</summary>
    private static readonly string[] ServiceVariables =
    [
        "REDIS_URL", "DATA_SHARED_BASE", "COMFYUI_URL", "VIDEO_COMPLETED_N8N_WEBHOOK_URL", "VIDEOAKKA_WORKER_ID",
        "VIDEOAKKA_CONFIG", "VIDEOAKKA_ROLE", "ASPNETCORE_URLS",
    ];

    private readonly Process _process;
    private readonly string _folder;
    private readonly OutputTail _tail = new(60);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BenchWorkerProcess(Process process, string folder, string url)
    {
        Url = url;
        _process = process;
        _folder = folder;
        // Both pipes are drained for the whole life of the process: a full pipe would block the worker's logging.
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>Where it listens: /metrics and the health routes (the worker role serves no API).</summary>
    public string Url { get; }

    /// <summary>CPU time the process used so far (user + system, /proc/PID/stat), in seconds.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": state is field 3
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>The process's resident set (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>True once this benchmark killed it; an exit without that is a crash worth reporting.</summary>
    public bool Killed { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed (stdout and stderr interleaved).</summary>
    public string Tail
        => _tail.ToString();

    /// <param name="hocon">The whole configuration file, written beside a copy of config/workflows (the workflow
    /// templates are resolved relative to the configuration file's folder).</param>
    /// <param name="dataRoot">DATA_SHARED_BASE, shared with the API and the other workers.</param>
    /// <param name="environment">More variables (log levels, say).</param>
    public static BenchWorkerProcess Start(int redisPort, string dataRoot, string hocon, string? comfyUiUrl,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "VideoAkka.Host.dll");
        if (!File.Exists(host))
        {
            throw new InvalidOperationException($"{host} is missing: build the bench project (it references the host)");
        }
        var folder = Directory.CreateTempSubdirectory("videoakka-chaos-worker-").FullName;
        var workflows = Path.Combine(folder, "workflows");
        Directory.CreateDirectory(workflows);
        foreach (var template in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "config", "workflows"), "*.json"))
        {
            File.Copy(template, Path.Combine(workflows, Path.GetFileName(template)));
        }
        var config = Path.Combine(folder, "akka.hocon");
        File.WriteAllText(config, hocon);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder, // so that no ./config of the caller's directory is picked up
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(host);
        foreach (var name in ServiceVariables)
        {
            start.Environment.Remove(name);
        }
        // No VIDEOAKKA_WORKER_ID: every start is a new worker with its own id, as a replacement container would be.
        start.Environment["REDIS_URL"] = $"redis://127.0.0.1:{redisPort.ToString(CultureInfo.InvariantCulture)}/0";
        start.Environment["DATA_SHARED_BASE"] = dataRoot;
        start.Environment["VIDEOAKKA_ROLE"] = "worker";
        start.Environment["VIDEOAKKA_CONFIG"] = config;
        if (comfyUiUrl is not null)
        {
            start.Environment["COMFYUI_URL"] = comfyUiUrl;
        }
        var url = $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture)}";
        start.Environment["ASPNETCORE_URLS"] = url;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        try
        {
            return new BenchWorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), folder, url);
        }
        catch
        {
            DeleteFolder(folder);
            throw;
        }
    }

    /// <summary>Waits until the worker's pipeline runs (it takes jobs out of Redis).</summary>
    public async Task WaitUntilRunningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var exited = _process.WaitForExitAsync(limit.Token);
        try
        {
            if (await Task.WhenAny(_ready.Task, exited) == _ready.Task)
            {
                return;
            }
            await exited; // throws when the timeout (or the caller) cancelled
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"worker {Pid} did not start its pipeline within {timeout.TotalSeconds:0} s:\n{Tail}");
        }
        throw new InvalidOperationException($"worker {Pid} exited with code {_process.ExitCode} before its pipeline ran:\n{Tail}");
    }

    /// <summary>kill -9: no shutdown hook runs, nothing is handed back, leases simply stop being renewed.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Killed = true;
            _process.Kill(entireProcessTree: false);
        }
        await _process.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        _tail.Add(line);
        if (line.Contains(ReadyLine, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder: the OS cleans it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        DeleteFolder(_folder);
    }
}
