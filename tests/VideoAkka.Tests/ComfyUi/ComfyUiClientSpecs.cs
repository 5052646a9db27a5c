using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using VideoAkka.Pipeline.Generation.ComfyUi;

namespace VideoAkka.Tests.ComfyUi;

/// <summary>The client against an instance that accepts connections and never answers (a hung server, a black hole
/// behind a proxy): cancellation stays a cancellation, and a silent handshake makes the instance unavailable.</summary>
public sealed class ComfyUiClientSpecs : IDisposable
{
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);

    public ComfyUiClientSpecs() => _silent.Start();

    private ComfyUiClient Client(TimeSpan requestTimeout) =>
        new(new ComfyUiInstance(0, new Uri($"http://127.0.0.1:{((IPEndPoint)_silent.LocalEndpoint).Port}/"), 1), requestTimeout);

    [Fact]
    public async Task A_call_cancelled_by_its_job_ends_as_a_cancellation_not_as_a_failed_call()
    {
        using var client = Client(TimeSpan.FromMinutes(1));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.HistoryAsync(Guid.NewGuid().ToString(), cancel.Token));
    }

    [Fact]
    public async Task A_call_that_outlasts_the_request_timeout_makes_the_instance_unavailable()
    {
        using var client = Client(TimeSpan.FromMilliseconds(300));

        var unavailable = await Assert.ThrowsAsync<ComfyUiUnavailableException>(() => client.HistoryAsync(Guid.NewGuid().ToString(), default));

        Assert.Contains("timed out", unavailable.Message);
    }

    [Fact]
    public async Task A_websocket_handshake_that_never_answers_makes_the_instance_unavailable_within_the_request_timeout()
    {
        using var client = Client(TimeSpan.FromMilliseconds(300));

        var unavailable = await Assert.ThrowsAsync<ComfyUiUnavailableException>(() =>
            PromptFollower.RunAsync(client, new JsonObject(), Guid.NewGuid().ToString(), new Progress<double>(), () => { }, default));

        Assert.Contains("WebSocket /ws failed: no answer within", unavailable.Message);
    }

    public void Dispose() => _silent.Stop();
}
