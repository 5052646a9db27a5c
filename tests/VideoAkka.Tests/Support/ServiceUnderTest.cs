using System.Net;
using System.Runtime.CompilerServices;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using VideoAkka.Host;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Support;

/// <summary>
/// The real service (the Host's composition root, Kestrel on a free loopback port, the Akka worker) on a test
/// redis-server and a temporary data folder, driven over real HTTP.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    /// <summary>Small frames keep the suite fast; the contract size (1080x1920) has a test of its own.</summary>
    public const string SmallFrames = """
        videoakka.output.sizes { "9:16" = "180x320", "16:9" = "320x180", "1:1" = "240x240" }
        videoakka.output.fps = 15
        """;

    private readonly WebApplication _app;

    private readonly bool _ownsRedis;

    private ServiceUnderTest(WebApplication app, TestRedis redis, bool ownsRedis, string dataRoot, string baseUrl)
    {
        _app = app;
        _ownsRedis = ownsRedis;
        Redis = redis;
        DataRoot = dataRoot;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
    }

    public TestRedis Redis { get; }

    /// <summary>The service's own services (its actor system among them).</summary>
    public IServiceProvider Services => _app.Services;

    public string DataRoot { get; }

    public HttpClient Http { get; }

    public RedisKeys Keys { get; } = RedisKeys.Default;

    /// <summary>Temporary data folders are named after this test process, so a spec can tell its own from those of
    /// other test runs on the machine.</summary>
    public static string TempFolderPrefix { get; } = $"videoakka-test-{Environment.ProcessId}-";

    /// <param name="redis">Share another service's redis-server (then the caller disposes it); null starts one.</param>
    /// <param name="dataRoot">Share another service's data folder; null makes a temporary one, deleted with the Redis
    /// (the jobs there name its files, and a later service on that Redis may take them up).</param>
    /// <param name="port">The loopback port to listen on; null picks a free one.</param>
    public static async Task<ServiceUnderTest> StartAsync(
        string hocon = SmallFrames, string? webhookUrl = null, ServiceRole role = ServiceRole.Both, TestRedis? redis = null, string? dataRoot = null,
        string? comfyUiUrl = null, string workerId = "test-worker", string? apiKeys = null, string? webhookSecret = null, int? port = null, string? webRoot = null,
        string? speechApiKey = null)
    {
        var ownsRedis = redis is null;
        var ownsFolder = dataRoot is null;
        var folder = dataRoot is null ? Directory.CreateTempSubdirectory(TempFolderPrefix).FullName : Path.GetDirectoryName(dataRoot)!;
        WebApplication? app = null;
        try
        {
            redis ??= await TestRedis.StartAsync();
            var baseUrl = $"http://127.0.0.1:{port ?? RedisServerProcess.FreeLoopbackPort()}";
            app = await VideoAkkaApp.BuildAsync(new ServiceOptions
            {
                RedisUrl = redis.Url,
                DataRoot = Path.Combine(folder, "shared"),
                Urls = baseUrl,
                WebhookUrl = webhookUrl,
                ComfyUiUrl = comfyUiUrl,
                ApiKeys = apiKeys,
                WebhookSecret = webhookSecret,
                SpeechApiKey = speechApiKey,
                WebRoot = webRoot, // null: the checkout's web/dist, found from the test's bin folder
                // No drain by default: a spec that stops a service mid-job wants its jobs handed back at once.
                HoconOverrides = "videoakka.worker.drain-timeout = 0s\n" + hocon + $"\nvideoakka.worker.id = {workerId}\nvideoakka.webhook.first-backoff = 100ms",
                Role = role,
            });
            await app.StartAsync();
            if (ownsFolder)
            {
                redis.DeleteWhenDisposed(folder);
            }
            return new ServiceUnderTest(app, redis, ownsRedis, Path.Combine(folder, "shared"), baseUrl);
        }
        catch
        {
            // A start that fails half way (a port taken, a bad setting) leaves nothing running and no folder behind.
            if (app is not null)
            {
                await StopQuietlyAsync(app);
            }
            if (ownsRedis && redis is not null)
            {
                await redis.DisposeAsync();
            }
            if (ownsFolder)
            {
                TestRedis.DeleteFolder(folder);
            }
            throw;
        }
    }

    private static async Task StopQuietlyAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The start's own exception is the one the spec must see.
        }
        await app.DisposeAsync();
    }

    public string Folder(string runId) => Path.Combine(DataRoot, runId);

    public async Task<HttpResponseMessage> PostJsonAsync(string json) =>
        await Http.PostAsync("/orchestrate/start", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Submits a job and returns its id; fails the test unless it was accepted.</summary>
    public async Task<string> SubmitAsync(string json)
    {
        using var response = await PostJsonAsync(json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"submit answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("job_id").GetString()!;
    }

    public async Task<JsonElement> StatusAsync(string jobId) =>
        (await Http.GetFromJsonAsync<JsonElement>($"/orchestrate/status/{jobId}")).Clone();

    /// <summary>Polls the status endpoint until the job is completed or failed.</summary>
    public async Task<JsonElement> WaitUntilFinishedAsync(string jobId) =>
        (await Eventually.WaitForAsync<StrongBox<JsonElement>>(async () =>
        {
            var status = await StatusAsync(jobId);
            return status.GetProperty("status").GetString() is "completed" or "failed" ? new StrongBox<JsonElement>(status) : null;
        }, $"job {jobId} to finish")).Value;

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsRedis)
        {
            await Redis.DisposeAsync(); // and with it the temporary data folder
        }
    }
}
