using System.Collections.Concurrent;
using System.Diagnostics;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Support;

/// <summary>
/// The service as its own OS process, in the worker role (VIDEOAKKA_ROLE=worker), on a shared redis-server and data
/// folder: what the durable-jobs specs kill with SIGKILL, as a container runtime or the OOM killer would.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _folder;

    private WorkerProcess(Process process, string folder, string url)
    {
        _process = process;
        _folder = folder;
        Url = url;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>Where it listens (health; the API too when started in the "both" role).</summary>
    public string Url { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed, for a failing spec's message.</summary>
    public string Log => string.Join('\n', _log);

    /// <param name="hocon">The whole configuration file (written beside a copy of config/workflows).</param>
    /// <param name="dataRoot">DATA_SHARED_BASE, shared with the API and the other workers.</param>
    /// <param name="role">VIDEOAKKA_ROLE: "worker" (no API), or "both".</param>
    /// <param name="redisUrl">REDIS_URL; null: the service runs its own embedded redis-server under the data folder.</param>
    /// <param name="environment">More variables for the process (VIDEOAKKA_LOG_FORMAT, say).</param>
    public static WorkerProcess Start(string? redisUrl, string dataRoot, string hocon, string? comfyUiUrl = null, string? workerId = null, string? webhookUrl = null,
        string role = "worker", IReadOnlyDictionary<string, string>? environment = null)
    {
        var folder = Directory.CreateTempSubdirectory("videoakka-worker-").FullName;
        var workflows = Path.Combine(folder, "workflows");
        Directory.CreateDirectory(workflows);
        foreach (var template in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "config", "workflows")))
        {
            File.Copy(template, Path.Combine(workflows, Path.GetFileName(template)));
        }
        var config = Path.Combine(folder, "akka.hocon");
        File.WriteAllText(config, hocon);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "VideoAkka.Host.dll"));
        foreach (var name in new[] { "REDIS_URL", "DATA_SHARED_BASE", "COMFYUI_URL", "VIDEO_COMPLETED_N8N_WEBHOOK_URL", "VIDEOAKKA_WORKER_ID", "VIDEOAKKA_CONFIG", "VIDEOAKKA_ROLE", "VIDEOAKKA_LOG_FORMAT", "ASPNETCORE_URLS" })
        {
            start.Environment.Remove(name);
        }
        if (redisUrl is not null)
        {
            start.Environment["REDIS_URL"] = redisUrl;
        }
        start.Environment["DATA_SHARED_BASE"] = dataRoot;
        start.Environment["VIDEOAKKA_CONFIG"] = config;
        start.Environment["VIDEOAKKA_ROLE"] = role;
        var url = $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort()}";
        start.Environment["ASPNETCORE_URLS"] = url;
        if (comfyUiUrl is not null)
        {
            start.Environment["COMFYUI_URL"] = comfyUiUrl;
        }
        if (webhookUrl is not null)
        {
            start.Environment["VIDEO_COMPLETED_N8N_WEBHOOK_URL"] = webhookUrl;
        }
        if (workerId is not null)
        {
            start.Environment["VIDEOAKKA_WORKER_ID"] = workerId;
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("the worker did not start"), folder, url);
    }

    /// <summary>Waits until the worker's pipeline runs (it has claimed its id and takes jobs).</summary>
    public Task WaitUntilRunningAsync() =>
        Eventually.WaitUntilAsync(() =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the worker exited with code {_process.ExitCode}:\n{Log}");
            }
            return Task.FromResult(_log.Any(line => line.Contains("Video pipeline running", StringComparison.Ordinal)));
        }, "the worker process to start its pipeline", TimeSpan.FromSeconds(60));

    /// <summary>kill -9: no shutdown hook runs, nothing is handed back.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM, as `docker stop` does, without waiting for the process to end.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGTERM, and waits for the service to stop in order.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        await TerminateAsync();
        await WaitForExitAsync();
    }

    /// <summary>Waits up to 20 s for the process to end, then kills it.</summary>
    /// <returns>Whether it ended by itself within that time.</returns>
    public async Task<bool> WaitForExitAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder: the OS cleans it.
        }
    }
}
