using System.Collections.Concurrent;
using System.Text.Json;
using CliWrap;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Fakes;

/// <summary>How the fake answers.</summary>
public enum SpeechAnswer
{
    /// <summary>Real speech of the input (espeak-ng), in the requested format.</summary>
    Speech,
    /// <summary>200 with no bytes.</summary>
    Empty,
    /// <summary>Two seconds of digital silence.</summary>
    Silence,
    /// <summary>A tenth of a second of tone, whatever the input's length.</summary>
    TooShort,
    /// <summary>500 to the first request for each input, speech to the next.</summary>
    FailOnceThenSpeech,
    /// <summary>401, as for a wrong key.</summary>
    Unauthorized,
    /// <summary>200 with an HTML page, as a misrouted proxy answers.</summary>
    NotAudio,
}

/// <summary>One request as the fake received it.</summary>
public sealed record SpeechRequest(string Model, string Input, string Voice, string ResponseFormat, double Speed, string? Authorization);

/// <summary>
/// An OpenAI-compatible speech server on loopback: POST /v1/audio/speech with JSON {model, input, voice,
/// response_format, speed} and a bearer key, answered with real audio made by espeak-ng and ffmpeg. It records every
/// request, the length of every speech it answered, and the most requests it held at once.
/// </summary>
public sealed class FakeSpeechServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly ConcurrentQueue<SpeechRequest> _requests = new();
    private readonly ConcurrentDictionary<string, double> _spokenSeconds = new();
    private readonly ConcurrentDictionary<string, int> _failedOnce = new();
    private readonly object _gate = new();
    private int _inFlight;
    private int _maxInFlight;

    private FakeSpeechServer(string folder, string url)
    {
        _folder = folder;
        Url = url;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/audio/speech", (Delegate)AnswerAsync);
    }

    /// <summary>The base URL, as videoakka.tts.openai.url takes it (".../v1").</summary>
    public string BaseUrl => Url + "/v1";

    public string Url { get; }

    public SpeechAnswer Answer { get; set; } = SpeechAnswer.Speech;

    /// <summary>Each request waits (up to 20 s) until this many were in flight at once, so the overlap the narrator
    /// allows shows in <see cref="MaxInFlight"/> whatever the machine's speed; 0 holds none.</summary>
    public int HoldUntilInFlight { get; set; }

    public IReadOnlyList<SpeechRequest> Requests => [.. _requests];

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Back to plain speech, nothing held, nothing recorded: for the next spec on a shared fake.</summary>
    public void Reset()
    {
        Answer = SpeechAnswer.Speech;
        HoldUntilInFlight = 0;
        _requests.Clear();
        _failedOnce.Clear();
        lock (_gate)
        {
            _maxInFlight = _inFlight;
        }
    }

    /// <summary>The length of the speech answered for an input (the last, when spoken twice).</summary>
    public double SpokenSeconds(string input) => _spokenSeconds[input];

    public static async Task<FakeSpeechServer> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("videoakka-fake-speech-").FullName;
        var server = new FakeSpeechServer(folder, $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort()}");
        await server._app.StartAsync();
        return server;
    }

    private async Task<IResult> AnswerAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var root = body.RootElement;
        var request = new SpeechRequest(
            root.GetProperty("model").GetString()!,
            root.GetProperty("input").GetString()!,
            root.GetProperty("voice").GetString()!,
            root.TryGetProperty("response_format", out var format) ? format.GetString()! : "mp3",
            root.TryGetProperty("speed", out var speed) ? speed.GetDouble() : 1.0,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null);
        _requests.Enqueue(request);
        lock (_gate)
        {
            _inFlight++;
            _maxInFlight = Math.Max(_maxInFlight, _inFlight);
        }
        try
        {
            await HoldAsync(context.RequestAborted);
            return Answer switch
            {
                SpeechAnswer.Unauthorized => Results.Json(new { error = new { message = "Incorrect API key provided", type = "invalid_request_error" } }, statusCode: 401),
                SpeechAnswer.Empty => Results.Bytes([], ContentType(request.ResponseFormat)),
                SpeechAnswer.NotAudio => Results.Text("<html><body>Welcome to nginx!</body></html>", "text/html"),
                SpeechAnswer.FailOnceThenSpeech when _failedOnce.TryAdd(request.Input, 1) => Results.StatusCode(500),
                _ => Results.Bytes(await MakeAudioAsync(request), ContentType(request.ResponseFormat)),
            };
        }
        finally
        {
            lock (_gate)
            {
                _inFlight--;
            }
        }
    }

    private async Task HoldAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (MaxInFlight < HoldUntilInFlight && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    private async Task<byte[]> MakeAudioAsync(SpeechRequest request)
    {
        var name = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        var wav = name + ".wav";
        switch (Answer)
        {
            case SpeechAnswer.Silence:
                await Ffmpeg(["-f", "lavfi", "-i", "anullsrc=r=24000:cl=mono", "-t", "2", "-c:a", "pcm_s16le", wav]);
                break;
            case SpeechAnswer.TooShort:
                await Ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=24000:duration=0.1", "-c:a", "pcm_s16le", wav]);
                break;
            default:
                await File.WriteAllTextAsync(name + ".txt", request.Input);
                await Cli.Wrap("espeak-ng").WithArguments(["-v", "en", "-f", name + ".txt", "-w", wav]).ExecuteAsync();
                _spokenSeconds[request.Input] = WavDuration.Seconds(wav);
                break;
        }
        if (request.ResponseFormat == "wav")
        {
            return await File.ReadAllBytesAsync(wav);
        }
        var encoded = $"{name}.{request.ResponseFormat}";
        await Ffmpeg(["-i", wav, encoded]);
        return await File.ReadAllBytesAsync(encoded);
    }

    private static Task Ffmpeg(string[] arguments) =>
        Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-nostdin", "-y", .. arguments]).ExecuteAsync();

    private static string ContentType(string format) => format switch
    {
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
