using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Bench;

/// <summary>
/// One HTTP stack under the submit benchmark, with its own redis-server (same settings for every stack: no
/// persistence, so the figures are the HTTP tier's): VideoAkka's real binary in the API role, or the seed's FastAPI app.
/// </summary>
internal sealed class SubmitStack : IAsyncDisposable
{
    private readonly ServerProcess _server;
    private readonly RedisServerProcess _redis;
    private readonly string? _folder;

    private SubmitStack(string name, ServerProcess server, RedisServerProcess redis, ConnectionMultiplexer connection, string[] headers, string? folder)
    {
        Name = name;
        _server = server;
        _redis = redis;
        Redis = connection;
        Headers = headers;
        _folder = folder;
    }

    public string Name { get; }

    public string Url => _server.Url;

    public ConnectionMultiplexer Redis { get; }

    /// <summary>What every request carries besides its body (the API key, for ours).</summary>
    public string[] Headers { get; }

    /// <summary>How many jobs wait in the stack's queue: each answered submit must have put one there.</summary>
    public Task<long> QueuedAsync() => Redis.GetDatabase().ListLengthAsync(RedisKeys.Default.Queue);

    /// <summary>Up to <paramref name="count"/> ids of jobs this stack queued (both keep the seed's queue key).</summary>
    public async Task<string[]> JobIdsAsync(int count) =>
        [.. (await Redis.GetDatabase().ListRangeAsync(RedisKeys.Default.Queue, 0, count - 1)).Select(v => v.ToString())];

    /// <summary>CPU time so far of the HTTP server (with its worker processes) and of its redis-server.</summary>
    public async Task<(TimeSpan Server, TimeSpan Redis)> CpuAsync()
    {
        var info = (await Redis.GetServer(Redis.GetEndPoints()[0]).InfoAsync("cpu")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        var redisSeconds = double.Parse(info["used_cpu_sys"], CultureInfo.InvariantCulture) + double.Parse(info["used_cpu_user"], CultureInfo.InvariantCulture);
        return (ProcessCpu.OfTree(_server.Pid), TimeSpan.FromSeconds(redisSeconds));
    }

    /// <summary>Empties the stack's Redis between rounds, so no round pays for the previous one's keys.</summary>
    public Task FlushAsync() => Redis.GetServer(Redis.GetEndPoints()[0]).FlushAllDatabasesAsync();

    /// <summary>The service as deployed: its own process (the host's runtime settings, server GC), the shipped
    /// config/akka.hocon, API keys on. The queue limit stays on but is raised past what the bench queues (no worker
    /// drains the queue here, and at the default 10 000 the bench would measure 429s).</summary>
    public static async Task<SubmitStack> StartVideoAkkaAsync()
    {
        var redis = await RedisServerProcess.StartAsync(null);
        var folder = Directory.CreateTempSubdirectory("videoakka-submit-").FullName;
        try
        {
            var config = Path.Combine(folder, "akka.hocon");
            await File.WriteAllTextAsync(config, await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "config", "akka.hocon"))
                + "\nvideoakka.api.max-queue-length = 100000000\n");
            var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var url = $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture)}";
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "VideoAkka.Host.dll"));
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("VIDEOAKKA_", StringComparison.Ordinal) || k.StartsWith("DOTNET_gc", StringComparison.OrdinalIgnoreCase)).ToArray())
            {
                start.Environment.Remove(name); // the shell's settings must not change what is measured
            }
            start.Environment.Remove("COMFYUI_URL");
            start.Environment.Remove("VIDEO_COMPLETED_N8N_WEBHOOK_URL");
            start.Environment["REDIS_URL"] = $"redis://{redis.ConnectionString}/0";
            start.Environment["DATA_SHARED_BASE"] = Path.Combine(folder, "data");
            start.Environment["VIDEOAKKA_ROLE"] = "api";
            start.Environment["VIDEOAKKA_API_KEY"] = key;
            start.Environment["VIDEOAKKA_CONFIG"] = config;
            start.Environment["ASPNETCORE_URLS"] = url;
            var server = await ServerProcess.StartAsync(start, url, "/healthz/ready", 200, TimeSpan.FromSeconds(60));
            return new SubmitStack("VideoAkka", server, redis, await ConnectAsync(redis), ["Content-Type: application/json", $"X-API-Key: {key}"], folder);
        }
        catch
        {
            await redis.DisposeAsync();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>The seed's stack: bench/anchors/fastapi/app.py under uvicorn (2 workers, uvloop, httptools), on
    /// Debian's python3 and its python3-fastapi, python3-uvicorn, python3-redis, python3-uvloop, python3-httptools.</summary>
    public static async Task<SubmitStack> StartFastApiAsync()
    {
        var redis = await RedisServerProcess.StartAsync(null);
        try
        {
            var port = RedisServerProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
            var start = new ProcessStartInfo("/usr/bin/python3") { WorkingDirectory = Path.Combine(Wrk.AnchorFolder, "fastapi") };
            foreach (var arg in new[] { "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", port, "--workers", "2", "--loop", "uvloop",
                         "--http", "httptools", "--no-access-log", "--log-level", "warning" })
            {
                start.ArgumentList.Add(arg);
            }
            start.Environment.Remove("PYTHONPATH"); // Debian's packages, not whatever another Python put first
            start.Environment["REDIS_URL"] = $"redis://{redis.ConnectionString}/0";
            start.Environment["DATA_SHARED_BASE"] = "/data/shared";
            var server = await ServerProcess.StartAsync(start, $"http://127.0.0.1:{port}", "/orchestrate/status/none", 404, TimeSpan.FromSeconds(60));
            return new SubmitStack("FastAPI", server, redis, await ConnectAsync(redis), ["Content-Type: application/json"], null);
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(RedisServerProcess redis) =>
        ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true");

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await Redis.DisposeAsync();
        await _redis.DisposeAsync();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
