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
    private readonly ConcurrentQueue<WebhookDelivery> _deliveries = new();

    private WebhookReceiver(WebApplication app, IEnumerable<int> answers)
    {
        _app = app;
        _answers = new ConcurrentQueue<int>(answers);
    }

    public string Url { get; private init; } = "";

    /// <summary>Every body received, failed attempts included, in arrival order.</summary>
    public IReadOnlyList<string> Bodies => [.. _bodies];

    /// <summary>Every delivery with its Standard Webhooks headers, in arrival order.</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries => [.. _deliveries];

    public static Task<WebhookReceiver> StartAsync(params int[] answers) => StartOnAsync(RedisServerProcess.FreeLoopbackPort(), answers);

    /// <summary>On a given port: a receiver that was down comes back where the service keeps sending.</summary>
    public static async Task<WebhookReceiver> StartOnAsync(int port, params int[] answers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, answers) { Url = $"http://127.0.0.1:{port}/webhook/job-complete" };
        app.MapPost("/webhook/job-complete", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            receiver._deliveries.Enqueue(new WebhookDelivery(body,
                request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(), request.Headers["webhook-signature"].ToString()));
            receiver._bodies.Enqueue(body);
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

/// <summary>One webhook as received: its body and its Standard Webhooks headers ("" when absent).</summary>
public sealed record WebhookDelivery(string Body, string Id, string Timestamp, string Signature);
