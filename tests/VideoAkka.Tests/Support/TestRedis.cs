using System.Collections.Concurrent;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Support;

/// <summary>A real redis-server of the test's own, on a free loopback port, with a connection to it. Disposing it
/// stops the server and deletes its folders: its append-only file's, and the data folders handed to it.</summary>
public sealed class TestRedis : IAsyncDisposable
{
    private RedisServerProcess _server;
    private readonly string? _dataDirectory;
    private readonly ConcurrentQueue<string> _folders = new();
    private bool _down;

    private TestRedis(RedisServerProcess server, ConnectionMultiplexer connection, string? dataDirectory)
    {
        _server = server;
        Connection = connection;
        _dataDirectory = dataDirectory;
    }

    public ConnectionMultiplexer Connection { get; }

    public IDatabase Db => Connection.GetDatabase();

    public string Url => $"redis://127.0.0.1:{_server.Port}/0";

    public int Port => _server.Port;

    /// <param name="durable">Keep an append-only file (in a temporary folder), so that a restart finds every key.</param>
    public static async Task<TestRedis> StartAsync(bool durable = false)
    {
        var dataDirectory = durable ? Directory.CreateTempSubdirectory($"videoakka-redis-{Environment.ProcessId}-").FullName : null;
        RedisServerProcess? server = null;
        try
        {
            server = await RedisServerProcess.StartAsync(dataDirectory);
            var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true,abortConnect=false");
            return new TestRedis(server, connection, dataDirectory);
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            if (dataDirectory is not null)
            {
                DeleteFolder(dataDirectory);
            }
            throw;
        }
    }

    /// <summary>Shuts the server down (it flushes its append-only file) and starts it again on the same port after
    /// <paramref name="down"/>: every client sees its connection drop and has to reconnect.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        await StopAsync();
        await Task.Delay(down);
        await StartAgainAsync();
    }

    /// <summary>Shuts the server down and leaves it down: Redis is unreachable until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (!_down)
        {
            _down = true;
            await _server.DisposeAsync();
        }
    }

    /// <summary>Starts the server again on its port (with its append-only file, if durable).</summary>
    public async Task StartAgainAsync()
    {
        _server = await RedisServerProcess.StartAsync(_dataDirectory, port: _server.Port);
        _down = false;
    }

    /// <summary>Deletes the folder when this Redis is disposed: a service's data folder lives as long as the Redis whose
    /// jobs name its files.</summary>
    public void DeleteWhenDisposed(string folder) => _folders.Enqueue(folder);

    public async Task<string[]> KeysAsync() =>
        [.. (await Connection.GetServer(Connection.GetEndPoints()[0]).KeysAsync(pattern: "*").ToArrayAsync()).Select(k => k.ToString()).Order()];

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await StopAsync();
        while (_folders.TryDequeue(out var folder))
        {
            DeleteFolder(folder);
        }
        if (_dataDirectory is not null)
        {
            DeleteFolder(_dataDirectory);
        }
    }

    /// <summary>Deletes a temporary folder; a tool that was still writing into it when its service stopped may make the
    /// first tries fail.</summary>
    internal static void DeleteFolder(string folder)
    {
        for (var attempt = 1; Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(200);
            }
            catch (IOException)
            {
                return; // still in use: the OS cleans its temporary folder
            }
        }
    }
}
