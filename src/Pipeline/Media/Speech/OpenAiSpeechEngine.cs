using System.Globalization;
using Flurl.Http;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using VideoAkka.Pipeline.Generation.ComfyUi;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>
/// Any OpenAI-compatible speech endpoint (OpenAI, Kokoro-FastAPI, ...): POST {url}/audio/speech with
/// {model, input, voice, response_format, speed} and a bearer key, answered with the audio. The answer is decoded by
/// ffmpeg into PCM WAV with its demuxer named (never guessed: the bytes are a remote server's). A 5xx, 429, timeout
/// or broken connection is retried (Polly, doubling backoff, bounded); any other answer that is not audio fails.
/// </summary>
public sealed class OpenAiSpeechEngine : ITextToSpeech, IDisposable
{
    private readonly OpenAiSpeechSettings _settings;
    private readonly ToolRunner _tools;
    private readonly FlurlClient _http;
    private readonly ResiliencePipeline _retry;

    public OpenAiSpeechEngine(OpenAiSpeechSettings settings, ToolRunner tools, ILogger<OpenAiSpeechEngine> logger)
    {
        _settings = settings;
        _tools = tools;
        _http = new FlurlClient().WithTimeout(settings.Timeout).AllowAnyHttpStatus();
        _retry = settings.Retries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<SpeechUnavailableException>(),
                    MaxRetryAttempts = settings.Retries,
                    Delay = settings.FirstBackoff,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    OnRetry = args =>
                    {
                        logger.LogWarning("Speech request retried (attempt {Attempt}): {Reason}", args.AttemptNumber + 1, args.Outcome.Exception?.Message);
                        return ValueTask.CompletedTask;
                    },
                })
                .Build();
    }

    public string Name => OpenAiSpeechSettings.EngineName;

    public async Task SpeakAsync(SpeechPiece piece, CancellationToken cancellationToken)
    {
        var answer = Path.Combine(piece.Folder, $"{piece.Name}.answer.{_settings.ResponseFormat}");
        byte[] audio;
        try
        {
            audio = await _retry.ExecuteAsync(async ct => await RequestAsync(piece, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (SpeechUnavailableException ex)
        {
            throw new SpeechRefusedException(_settings.Retries == 0 ? $"{ex.Message} (no retries configured)" : $"{ex.Message} (after {_settings.Retries + 1} tries)");
        }
        if (audio.Length == 0)
        {
            throw new SpeechRefusedException($"the {Name} engine answered no audio (0 bytes) for: {SpeechChecks.Quote(piece.Text)}");
        }
        await File.WriteAllBytesAsync(answer, audio, cancellationToken).ConfigureAwait(false);
        try
        {
            await _tools.RunAsync(_tools.Settings.Ffmpeg,
                ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", Demuxer(_settings.ResponseFormat), "-i", Path.GetFileName(answer),
                 "-vn", "-ac", "1", "-c:a", "pcm_s16le", piece.Name + ".wav"],
                piece.Folder, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaToolException ex)
        {
            throw new SpeechRefusedException($"the {Name} engine's answer is not {_settings.ResponseFormat} audio ({audio.Length} bytes): {ex.StderrTail}");
        }
    }

    private async Task<byte[]> RequestAsync(SpeechPiece piece, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = _settings.Model,
            ["input"] = piece.Text,
            ["voice"] = piece.Voice.Name ?? _settings.Voice,
            ["response_format"] = _settings.ResponseFormat,
            ["speed"] = piece.Voice.Rate ?? 1.0,
        };
        try
        {
            var request = _http.Request(_settings.SpeechUrl);
            if (_settings.ApiKey is { } key)
            {
                request = request.WithOAuthBearerToken(key);
            }
            // Headers first: the body is read below with a cap, never buffered whole by the client.
            using var response = await request.PostJsonAsync(body, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = response.StatusCode;
            if (status is >= 500 or 429)
            {
                throw new SpeechUnavailableException($"the {Name} engine answered HTTP {status}");
            }
            if (status is < 200 or >= 300)
            {
                // Not the body: servers echo parts of the key back in their error text.
                throw new SpeechRefusedException(status is 401 or 403
                    ? $"the {Name} engine refused the key (HTTP {status}): check VIDEOAKKA_TTS_API_KEY"
                    : $"the {Name} engine answered HTTP {status}");
            }
            return await ReadCappedAsync(await response.GetStreamAsync().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not SpeechException)
        {
            throw ex as OperationCanceledException ?? new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (Exception ex) when (ex is not SpeechException && ComfyUiClient.Unreachable(ex, cancellationToken) is { } reason)
        {
            throw new SpeechUnavailableException(string.Create(CultureInfo.InvariantCulture, $"the {Name} engine could not be reached: {reason}"));
        }
    }

    /// <summary>A sentence's speech is some kilobytes a second: an answer past this is not speech, and is refused
    /// before it can fill the worker's memory (several pieces are asked at once).</summary>
    private const int MaxAnswerBytes = 64 * 1024 * 1024;

    private async Task<byte[]> ReadCappedAsync(Stream body, CancellationToken cancellationToken)
    {
        await using var _ = body.ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw new SpeechRefusedException($"the {Name} engine's answer is larger than {MaxAnswerBytes / (1024 * 1024)} MiB: not the speech of one sentence");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string Demuxer(string format) => format switch
    {
        "opus" => "ogg",
        _ => format,
    };

    public void Dispose() => _http.Dispose();
}

/// <summary>A fault worth another try: the server is busy or down, not refusing.</summary>
internal sealed class SpeechUnavailableException(string message) : SpeechException(message);
