using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Support;

/// <summary>A real redis-server of the test's own, on a free loopback port, with a connection to it.</summary>
public sealed class TestRedis : IAsyncDisposable
{
    private RedisServerProcess _server;
    private readonly string? _dataDirectory;

    private TestRedis(RedisServerProcess server, ConnectionMultiplexer connection, string? dataDirectory)
    {
        _server = server;
        Connection = connection;
        _dataDirectory = dataDirectory;
    }

    public ConnectionMultiplexer Connection { get; }

    public IDatabase Db => Connection.GetDatabase();

    public string Url => $"redis://127.0.0.1:{_server.Port}/0";

    /// <param name="durable">Keep an append-only file (in a temporary folder), so that a restart finds every key.</param>
    public static async Task<TestRedis> StartAsync(bool durable = false)
    {
        var dataDirectory = durable ? Directory.CreateTempSubdirectory("videoakka-redis-").FullName : null;
        var server = await RedisServerProcess.StartAsync(dataDirectory);
        var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true,abortConnect=false");
        return new TestRedis(server, connection, dataDirectory);
    }

    /// <summary>Shuts the server down (it flushes its append-only file) and starts it again on the same port after
    /// <paramref name="down"/>: every client sees its connection drop and has to reconnect.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        var port = _server.Port;
        await _server.DisposeAsync();
        await Task.Delay(down);
        _server = await RedisServerProcess.StartAsync(_dataDirectory, port: port);
    }

    public async Task<string[]> KeysAsync() =>
        [.. (await Connection.GetServer(Connection.GetEndPoints()[0]).KeysAsync(pattern: "*").ToArrayAsync()).Select(k => k.ToString()).Order()];

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _server.DisposeAsync();
    }
}
