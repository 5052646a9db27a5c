using Microsoft.AspNetCore.Hosting;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Fakes;

/// <summary>A stand-in for a ComfyUI 0.3.64 server (which needs a GPU): real HTTP and WebSocket on loopback,
/// speaking the protocol as recorded in /work/shared/comfyui-transcripts, writing real media files. What a prompt
/// does is chosen per prompt by <see cref="FakeComfyUiOptions.Behaviour"/>.</summary>
public sealed class FakeComfyUi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeServerState _state;
    private readonly Recorder _recorder;
    private readonly DataFolders _folders;
    private int _stopped;

    private FakeComfyUi(WebApplication app, FakeComfyUiOptions options, DataFolders folders, int port)
    {
        _app = app;
        _folders = folders;
        _recorder = new Recorder();
        _state = new FakeServerState(options);
        Options = options;
        Port = port;
        var executor = new PromptExecutor(_state, new OutputNodes(new OutputFiles(folders)), options);
        _state.ExecuteWith(executor.RunAsync);
        var routes = new FakeRoutes(
            new PromptEndpoints(_state, folders, _recorder, options),
            new QueueEndpoints(_state, _recorder),
            new FileEndpoints(folders, _recorder),
            new InfoEndpoints(folders, port),
            new SocketEndpoint(_state));
        app.Use(async (ctx, next) =>
        {
            _recorder.Requests.Add($"{ctx.Request.Method} {ctx.Request.Path.Value}{ctx.Request.QueryString.Value}");
            if (FakeRoutes.ForeignOrigin(ctx.Request))
            {
                await HttpReplies.EmptyAsync(ctx, 403).ConfigureAwait(false);
                return;
            }
            await next(ctx).ConfigureAwait(false);
        });
        app.UseWebSockets();
        app.Run(routes.DispatchAsync);
    }

    /// <summary>How long the audio the audio save nodes write lasts (a 440 Hz tone, or silence): a speech prompt's answer.</summary>
    public const double SpeechSeconds = SampleMedia.SpeechSeconds;

    /// <summary>"http://127.0.0.1:PORT".</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    public int Port { get; }

    /// <summary>The behaviour, changeable by the test while the fake runs.</summary>
    public FakeComfyUiOptions Options { get; }

    /// <summary>The folder holding input/, output/ and temp/.</summary>
    public string DataDirectory => _folders.Root;

    /// <summary>Every accepted POST /prompt, in arrival order.</summary>
    public IReadOnlyList<FakeSubmission> Submissions => _recorder.Submissions.Snapshot();

    /// <summary>Every POST /prompt refused by input validation (400 prompt_outputs_failed_validation); structurally
    /// broken bodies (no prompt, unknown class_type) are not here, see <see cref="Requests"/>.</summary>
    public IReadOnlyList<FakeSubmission> Rejected => _recorder.Rejected.Snapshot();

    /// <summary>The ids of every POST /queue {"delete": [...]}, whether they were pending or not.</summary>
    public IReadOnlyList<string> DeletedPromptIds => _recorder.Deleted.Snapshot();

    /// <summary>Every POST /interrupt: the prompt_id sent, or null for a global interrupt.</summary>
    public IReadOnlyList<string?> Interrupts => _recorder.Interrupts.Snapshot();

    public IReadOnlyList<FakeUpload> Uploads => _recorder.Uploads.Snapshot();

    /// <summary>"METHOD /path?query" of every request (WebSocket upgrades included), in arrival order.</summary>
    public IReadOnlyList<string> Requests => _recorder.Requests.Snapshot();

    /// <summary>Prompts pending or running now.</summary>
    public int InFlight => _state.Counters().InFlight;

    /// <summary>The most prompts that were ever pending and running at once.</summary>
    public int MaxInFlight => _state.Counters().MaxInFlight;

    /// <summary>Prompts running now.</summary>
    public int Running => _state.Counters().Running;

    /// <summary>The most prompts that ever ran at once (never above <see cref="FakeComfyUiOptions.Parallel"/>).</summary>
    public int MaxRunning => _state.Counters().MaxRunning;

    /// <summary>Prompts that ended with a history entry: succeeded, failed or interrupted.</summary>
    public int Completed => _state.Counters().Completed;

    /// <param name="port">Null: a free port. Give the port of a stopped fake to restart "the same server".</param>
    public static async Task<FakeComfyUi> StartAsync(FakeComfyUiOptions? options = null, int? port = null)
    {
        options ??= new FakeComfyUiOptions();
        var folders = DataFolders.Acquire(options.DataDirectory);
        options.DataDirectory = folders.Root;
        WebApplication? app = null;
        try
        {
            // Made before the first prompt needs it, so a missing ffmpeg fails the test here, plainly.
            await SampleMedia.PathAsync("png").ConfigureAwait(false);
            var chosenPort = port ?? RedisServerProcess.FreeLoopbackPort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, chosenPort));
            app = builder.Build();
            var fake = new FakeComfyUi(app, options, folders, chosenPort);
            await app.StartAsync().ConfigureAwait(false);
            return fake;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
            folders.Dispose();
            throw;
        }
    }

    /// <summary>Drops every open WebSocket without a close frame; the server and its prompts carry on.</summary>
    public void DropSockets() => _state.DropSockets();

    /// <summary>Kills the server: open WebSockets drop without a close frame, running and pending prompts are
    /// lost, and the port stops listening, so new connections are refused. Output files stay on disk.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        _state.Kill();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(patience.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _folders.Dispose();
    }
}
