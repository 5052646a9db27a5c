using System.Net;
using System.Net.Sockets;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Fixtures;

/// <summary>Issue 11: the fixtures leave nothing behind, not even when a start fails half way: no redis-server they
/// started keeps running, and no temporary folder stays. Test classes run one at a time (xunit.runner.json), so the
/// redis-servers this test process has running are the ones the spec in hand started.</summary>
public sealed class FixtureCleanupSpecs
{
    [Fact]
    public async Task A_service_that_cannot_bind_its_port_throws_and_leaves_no_redis_server_and_no_temp_folder()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var serversBefore = OurRedisServers();
        var foldersBefore = OurTempFolders();

        var failed = await Assert.ThrowsAnyAsync<Exception>(() => ServiceUnderTest.StartAsync(port: port));

        Assert.Contains(port.ToString(), failed.Message); // it failed on the port, not on something else
        Assert.Empty(OurRedisServers().Except(serversBefore));
        Assert.Empty(OurTempFolders().Except(foldersBefore));
    }

    [Fact]
    public async Task A_disposed_service_leaves_no_redis_server_and_no_temp_folder()
    {
        var serversBefore = OurRedisServers();
        var service = await ServiceUnderTest.StartAsync();
        var folder = Path.GetDirectoryName(service.DataRoot)!;
        Assert.Single(OurRedisServers().Except(serversBefore)); // the spec sees the server it started
        Assert.True(Directory.Exists(folder));

        await service.DisposeAsync();

        Assert.Empty(OurRedisServers().Except(serversBefore));
        Assert.False(Directory.Exists(folder), $"{folder} is left behind");
    }

    [Fact]
    public async Task A_service_on_a_shared_redis_keeps_its_data_folder_until_that_redis_is_disposed()
    {
        var redis = await TestRedis.StartAsync();
        var service = await ServiceUnderTest.StartAsync(redis: redis);
        var folder = Path.GetDirectoryName(service.DataRoot)!;

        await service.DisposeAsync();

        // Its jobs in that Redis name files in the folder: a service started next on the same Redis resumes them.
        Assert.True(Directory.Exists(folder), "the data folder went before the Redis whose jobs use it");
        await redis.DisposeAsync();
        Assert.False(Directory.Exists(folder), $"{folder} is left behind");
    }

    [Fact]
    public async Task A_durable_test_redis_deletes_its_append_only_folder_when_disposed()
    {
        var foldersBefore = OurTempFolders("videoakka-redis-");
        var redis = await TestRedis.StartAsync(durable: true);
        var created = Assert.Single(OurTempFolders("videoakka-redis-").Except(foldersBefore));

        await redis.DisposeAsync();

        Assert.False(Directory.Exists(created), $"{created} is left behind");
    }

    /// <summary>Temporary folders of this test process (the fixtures name them with its pid).</summary>
    private static string[] OurTempFolders(string kind = "videoakka-test-") =>
        Directory.GetDirectories(Path.GetTempPath(), $"{kind}{Environment.ProcessId}-*");

    /// <summary>The pids of the redis-server processes this test process started and that still run.</summary>
    private static int[] OurRedisServers() =>
        [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).OfType<string>()
            .Select(name => int.TryParse(name, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && IsOurRedisServer(pid))];

    private static bool IsOurRedisServer(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after its closing parenthesis.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var comm = stat[(open + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            return comm == "redis-server" && fields[0] != "Z" && int.Parse(fields[1]) == Environment.ProcessId;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // it ended while we looked
        }
    }
}
