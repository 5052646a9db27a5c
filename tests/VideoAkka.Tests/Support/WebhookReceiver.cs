using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Support;

/// <summary>A real HTTP listener on loopback that records every webhook body it receives and answers with the
/// status codes it was given, in order (then 200).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers;
    private readonly ConcurrentQueue<string> _bodies = new();

    private WebhookReceiver(WebApplication app, IEnumerable<int> answers)
    {
        _app = app;
        _answers = new ConcurrentQueue<int>(answers);
    }

    public string Url { get; private init; } = "";

    /// <summary>Every body received, failed attempts included, in arrival order.</summary>
    public IReadOnlyList<string> Bodies => [.. _bodies];

    public static async Task<WebhookReceiver> StartAsync(params int[] answers)
    {
        var port = RedisServerProcess.FreeLoopbackPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, answers) { Url = $"http://127.0.0.1:{port}/webhook/job-complete" };
        app.MapPost("/webhook/job-complete", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            receiver._bodies.Enqueue(await reader.ReadToEndAsync());
            return Results.StatusCode(receiver._answers.TryDequeue(out var status) ? status : 200);
        });
        await app.StartAsync();
        return receiver;
    }

    public Task<IReadOnlyList<string>> WaitForBodiesAsync(int count) =>
        Eventually.WaitForAsync<IReadOnlyList<string>>(() => Task.FromResult(_bodies.Count >= count ? Bodies : null), $"{count} webhook bodies");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
