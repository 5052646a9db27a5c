using System.Text;
using Microsoft.AspNetCore.Builder;
using System.Text.Json.Nodes;
using StackExchange.Redis;
using VideoAkka.Host;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Bench;

/// <summary>The real service on a throwaway redis-server and data folder, as the benchmarks drive it.</summary>
internal sealed class BenchService : IAsyncDisposable
{
    public const string SmallFrames = """
        videoakka.output.sizes { "9:16" = "180x320", "16:9" = "320x180", "1:1" = "240x240" }
        videoakka.output.fps = 15
        """;

    private readonly WebApplication _app;
    private readonly RedisServerProcess? _redis;
    private readonly string _dataRoot;

    private BenchService(WebApplication app, RedisServerProcess? redis, string dataRoot, string url, ConnectionMultiplexer connection)
    {
        _app = app;
        _redis = redis;
        _dataRoot = dataRoot;
        Url = url;
        Redis = connection;
    }

    public string Url { get; }

    /// <summary>DATA_SHARED_BASE of this service: worker processes started beside it must share it.</summary>
    public string DataRoot => _dataRoot;

    public ConnectionMultiplexer Redis { get; }

    public static async Task<BenchService> StartAsync(ServiceRole role, string hocon, RedisServerProcess? sharedRedis = null, string? comfyUiUrl = null)
    {
        var redis = sharedRedis ?? await RedisServerProcess.StartAsync(null);
        var dataRoot = Directory.CreateTempSubdirectory("videoakka-bench-").FullName;
        var url = $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort()}";
        var app = await VideoAkkaApp.BuildAsync(new ServiceOptions
        {
            RedisUrl = redis.ConnectionString,
            DataRoot = dataRoot,
            Urls = url,
            Role = role,
            ComfyUiUrl = comfyUiUrl,
            HoconOverrides = hocon + "\nvideoakka.worker.id = bench\nakka.loglevel = WARNING",
        });
        await app.StartAsync();
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        return new BenchService(app, sharedRedis is null ? redis : null, dataRoot, url, connection);
    }

    public static StringContent Body(string runId, int scenes = 1, double seconds = 0.5, bool voiceover = false)
    {
        var body = new JsonObject
        {
            ["script"] = "A short narration for the benchmark. It has two sentences.",
            ["run_id"] = runId,
            ["prompts"] = new JsonArray([.. Enumerable.Range(1, scenes).Select(i => (JsonNode)new JsonObject { ["image"] = $"scene {i}", ["duration"] = seconds })]),
            ["options"] = new JsonObject { ["voiceover"] = voiceover },
        };
        return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Redis.DisposeAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        Directory.Delete(_dataRoot, recursive: true);
    }
}
