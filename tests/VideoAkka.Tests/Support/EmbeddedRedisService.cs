using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VideoAkka.Host;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Support;

/// <summary>
/// The real service started as an operator starts it without REDIS_URL: it runs its own redis-server under
/// DATA_SHARED_BASE/.redis. Several may be started one after another on one data folder (a restart of the service).
/// </summary>
public sealed class EmbeddedRedisService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private EmbeddedRedisService(WebApplication app, string dataRoot, string baseUrl)
    {
        _app = app;
        DataRoot = dataRoot;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>DATA_SHARED_BASE.</summary>
    public string DataRoot { get; }

    public string RedisFolder => Path.Combine(DataRoot, ".redis");

    public HttpClient Http { get; }

    /// <summary>The service's own handle on its redis-server: its port and how it connects (password included).</summary>
    public EmbeddedRedis Redis => _app.Services.GetRequiredService<EmbeddedRedis>();

    /// <summary>The pid of the redis-server running now, from the owner file the service writes beside its data.</summary>
    public int RedisPid => int.Parse(File.ReadAllText(Path.Combine(RedisFolder, "embedded-redis.owner")).Split(' ')[0]);

    public static async Task<EmbeddedRedisService> StartAsync(string dataRoot, ServiceRole role = ServiceRole.Both, TimeSpan? restartDelay = null)
    {
        var baseUrl = $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort()}";
        var app = await VideoAkkaApp.BuildAsync(new ServiceOptions
        {
            RedisUrl = null,
            DataRoot = dataRoot,
            Urls = baseUrl,
            Role = role,
            HoconOverrides = "videoakka.worker.drain-timeout = 0s\n" + ServiceUnderTest.SmallFrames + "\nvideoakka.worker.id = embedded-worker",
            EmbeddedRedisRestartDelay = restartDelay ?? TimeSpan.FromSeconds(1),
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // Stopped, not only disposed: Akka and the Redis supervisor may have started before the failure.
            await app.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await app.DisposeAsync(); // stops the redis-server it started
            throw;
        }
        return new EmbeddedRedisService(app, dataRoot, baseUrl);
    }

    public async Task<string> SubmitAsync(string json)
    {
        using var response = await Http.PostAsync("/orchestrate/start", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"submit answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("job_id").GetString()!;
    }

    public async Task<string?> StatusAsync(string jobId) =>
        (await Http.GetFromJsonAsync<JsonElement>($"/orchestrate/status/{jobId}")).GetProperty("status").GetString();

    /// <summary>Waits until the job has finished and asserts that it completed (showing its record if not).</summary>
    public async Task WaitUntilCompletedAsync(string jobId)
    {
        var record = (await Eventually.WaitForAsync(async () =>
        {
            var record = await Http.GetFromJsonAsync<JsonElement>($"/orchestrate/status/{jobId}");
            return record.GetProperty("status").GetString() is "completed" or "failed" or "cancelled" ? new StrongBox<JsonElement>(record.Clone()) : null;
        }, $"job {jobId} to finish")).Value;
        Assert.True(record.GetProperty("status").GetString() == "completed", record.ToString());
    }

    /// <summary>Stops the service as the host does on SIGTERM.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
