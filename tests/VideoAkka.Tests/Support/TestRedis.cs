using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Support;

/// <summary>A real redis-server of the test's own, on a free loopback port, with a connection to it.</summary>
public sealed class TestRedis : IAsyncDisposable
{
    private readonly RedisServerProcess _server;

    private TestRedis(RedisServerProcess server, ConnectionMultiplexer connection)
    {
        _server = server;
        Connection = connection;
    }

    public ConnectionMultiplexer Connection { get; }

    public IDatabase Db => Connection.GetDatabase();

    public string Url => $"redis://127.0.0.1:{_server.Port}/0";

    public static async Task<TestRedis> StartAsync()
    {
        var server = await RedisServerProcess.StartAsync(dataDirectory: null);
        var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true");
        return new TestRedis(server, connection);
    }

    public async Task<string[]> KeysAsync() =>
        [.. (await Connection.GetServer(Connection.GetEndPoints()[0]).KeysAsync(pattern: "*").ToArrayAsync()).Select(k => k.ToString()).Order()];

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _server.DisposeAsync();
    }
}
