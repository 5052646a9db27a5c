using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11: the redis-server the service runs itself when REDIS_URL is unset, through the app. It lives in
/// DATA_SHARED_BASE/.redis, requires a password made new at every start, listens on loopback only, stops with the
/// service, keeps the queue across restarts of the service, and is started again if it dies.</summary>
public sealed class EmbeddedRedisAppSpecs : IDisposable
{
    private readonly string _dataRoot = Path.Combine(Directory.CreateTempSubdirectory("videoakka-embedded-app-").FullName, "shared");

    [Fact]
    public async Task It_runs_in_DATA_redis_and_logs_to_redis_log_there()
    {
        await using var service = await EmbeddedRedisService.StartAsync(_dataRoot, ServiceRole.Api);

        var pid = service.RedisPid;
        Assert.Equal("redis-server", File.ReadAllText($"/proc/{pid}/comm").Trim());
        Assert.Equal(service.RedisFolder, new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget);
        Assert.Contains("Ready to accept connections", await File.ReadAllTextAsync(Path.Combine(service.RedisFolder, "redis.log")));
        Assert.True(Directory.Exists(Path.Combine(service.RedisFolder, "appendonlydir")), "no append-only file in DATA/.redis");
    }

    [Fact]
    public async Task It_refuses_a_client_without_its_password()
    {
        await using var service = await EmbeddedRedisService.StartAsync(_dataRoot, ServiceRole.Api);
        var password = service.Redis.ConnectionOptions().Password!;

        var anonymous = await ConverseAsync(service.Redis.Port, "PING");
        var wrong = await ConverseAsync(service.Redis.Port, "AUTH not-the-password");
        var right = await ConverseAsync(service.Redis.Port, $"AUTH {password}", "PING");

        Assert.StartsWith("-NOAUTH", anonymous[0]);
        Assert.StartsWith("-WRONGPASS", wrong[0]);
        Assert.Equal(["+OK", "+PONG"], right);
        Assert.Matches("^[0-9a-f]{64}$", password);
    }

    [Fact]
    public async Task Its_password_is_in_no_command_line_environment_or_file()
    {
        await using var service = await EmbeddedRedisService.StartAsync(_dataRoot, ServiceRole.Api);
        var password = service.Redis.ConnectionOptions().Password!;
        var pid = service.RedisPid;

        var places = new Dictionary<string, string>
        {
            ["its command line"] = File.ReadAllText($"/proc/{pid}/cmdline"),
            ["its environment"] = File.ReadAllText($"/proc/{pid}/environ"),
        };
        foreach (var file in Directory.EnumerateFiles(_dataRoot, "*", SearchOption.AllDirectories))
        {
            places[file] = await File.ReadAllTextAsync(file);
        }

        Assert.Empty(places.Where(place => place.Value.Contains(password, StringComparison.Ordinal)).Select(place => place.Key));
        Assert.Contains(Path.Combine(service.RedisFolder, "redis.log"), places.Keys);
    }

    [Fact]
    public async Task It_listens_on_127_0_0_1_only()
    {
        await using var service = await EmbeddedRedisService.StartAsync(_dataRoot, ServiceRole.Api);

        Assert.Equal(["0100007F"], ListeningAddresses("/proc/net/tcp", service.Redis.Port));
        Assert.Empty(ListeningAddresses("/proc/net/tcp6", service.Redis.Port));
    }

    [Fact]
    public async Task Each_start_of_the_service_gets_a_new_password()
    {
        string first;
        await using (var service = await EmbeddedRedisService.StartAsync(_dataRoot, ServiceRole.Api))
        {
            first = service.Redis.ConnectionOptions().Password!;
        }

        await using var restarted = await EmbeddedRedisService.StartAsync(_dataRoot, ServiceRole.Api);

        Assert.NotEqual(first, restarted.Redis.ConnectionOptions().Password);
    }

    [Fact]
    public async Task It_stops_with_the_service()
    {
        var service = await EmbeddedRedisService.StartAsync(_dataRoot, ServiceRole.Api);
        var pid = service.RedisPid;
        Assert.True(Directory.Exists($"/proc/{pid}"));

        await service.StopAsync();

        Assert.False(Directory.Exists($"/proc/{pid}"), $"redis-server {pid} outlived the service");
        Assert.Equal(0, ProcessTable.CountWorkingIn(service.RedisFolder));
    }

    [Fact]
    public async Task A_queued_job_survives_a_restart_of_the_service_through_the_append_only_file()
    {
        string jobId;
        await using (var api = await EmbeddedRedisService.StartAsync(_dataRoot, ServiceRole.Api))
        {
            jobId = await api.SubmitAsync(JobBodies.Simple("survives-restart", scenes: 1));
            Assert.Equal("queued", await api.StatusAsync(jobId));
        }

        await using var restarted = await EmbeddedRedisService.StartAsync(_dataRoot);

        await restarted.WaitUntilCompletedAsync(jobId);
    }

    [Fact]
    public async Task A_killed_redis_is_reported_by_readiness_then_restarted_on_its_port_and_a_later_job_completes()
    {
        // Long enough a wait before the restart for readiness to be seen saying so.
        await using var service = await EmbeddedRedisService.StartAsync(_dataRoot, restartDelay: TimeSpan.FromSeconds(4));
        await service.WaitUntilCompletedAsync(await service.SubmitAsync(JobBodies.Simple("before-kill", scenes: 1)));
        var (killedPid, port) = (service.RedisPid, service.Redis.Port);

        using (var redis = Process.GetProcessById(killedPid))
        {
            redis.Kill(); // SIGKILL: no shutdown, as the OOM killer would
        }

        // Until the service has seen the process end, readiness may say only that Redis cannot be reached (within a
        // second: a probe waiting on the dead connection must not outlast the restart's window).
        var restarting = (await Eventually.WaitForAsync(async () =>
        {
            using var ready = await service.Http.GetAsync("/healthz/ready");
            var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.Clone();
            return ready.StatusCode == HttpStatusCode.ServiceUnavailable && body.GetProperty("type").GetString()!.EndsWith("/embedded-redis-restarting", StringComparison.Ordinal)
                ? new StrongBox<(JsonElement Body, string? RetryAfter)>((body, ready.Headers.RetryAfter?.ToString()))
                : null;
        }, "readiness to report the restart")).Value;
        Assert.Equal(("The embedded Redis is restarting", "10"), (restarting.Body.GetProperty("title").GetString(), restarting.RetryAfter));
        await Eventually.WaitUntilAsync(async () =>
        {
            using var ready = await service.Http.GetAsync("/healthz/ready");
            return ready.StatusCode == HttpStatusCode.OK;
        }, "readiness once redis is back");
        Assert.NotEqual(killedPid, service.RedisPid);
        Assert.Equal(port, service.Redis.Port);
        Assert.Equal(["0100007F"], ListeningAddresses("/proc/net/tcp", port));

        await service.WaitUntilCompletedAsync(await service.SubmitAsync(JobBodies.Simple("after-kill", scenes: 1)));
    }

    /// <summary>Sends each command as an inline command on one raw connection and reads one reply line each: what
    /// any client on the machine could do.</summary>
    private static async Task<string[]> ConverseAsync(int port, params string[] commands)
    {
        using var client = new TcpClient();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(IPAddress.Loopback, port, guard.Token);
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream);
        await using var writer = new StreamWriter(stream) { NewLine = "\r\n", AutoFlush = true };
        var replies = new List<string>();
        foreach (var command in commands)
        {
            await writer.WriteLineAsync(command);
            replies.Add(await reader.ReadLineAsync(guard.Token) ?? "(closed)");
        }
        return [.. replies];
    }

    /// <summary>The local addresses (hex, as the kernel writes them) of the sockets listening on the port.</summary>
    private static string[] ListeningAddresses(string table, int port) =>
        [.. File.ReadLines(table).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields[3] == "0A" && int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
            .Select(fields => fields[1].Split(':')[0])];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(_dataRoot)!, recursive: true);
        }
        catch (IOException)
        {
            // A process the spec started may still hold a file; the temp folder is cleaned by the OS.
        }
    }
}
