using System.Collections.Frozen;
using Akka.Configuration;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>videoakka.tts, read and checked once at startup.</summary>
/// <param name="ParallelPieces">Sentences spoken at once inside one voiceover.</param>
/// <param name="OpenAi">The OpenAI-compatible engine, or null when its url is empty.</param>
/// <param name="ComfyUiWorkflows">The ComfyUI speech workflows' names (videoakka.comfyui.speech) when COMFYUI_URL is
/// set; null or empty: the comfyui engine is off.</param>
public sealed record SpeechSettings(int ParallelPieces, SpeechCheckSettings Checks, OpenAiSpeechSettings? OpenAi, IReadOnlySet<string>? ComfyUiWorkflows = null)
{
    public static SpeechSettings Default { get; } = new(4, SpeechCheckSettings.Default, null);

    /// <summary>What options.voice may name here: read at every submit, so built once.</summary>
    public VoiceCatalog Voices { get; } = VoiceCatalog.Of(OpenAi is not null, ComfyUiWorkflows ?? FrozenSet<string>.Empty);

    /// <summary>The names options.voice.engine may take here.</summary>
    public IReadOnlySet<string> EngineNames => Voices.Engines;

    /// <param name="videoakka">The "videoakka" section, defaults included.</param>
    /// <param name="apiKey">VIDEOAKKA_TTS_API_KEY.</param>
    /// <param name="comfyUiWorkflows">The ComfyUI speech workflows, when COMFYUI_URL is set.</param>
    public static SpeechSettings Create(Config videoakka, string? apiKey, IReadOnlySet<string>? comfyUiWorkflows = null)
    {
        var parallel = videoakka.GetInt("tts.parallel-pieces");
        if (parallel is < 1 or > 64)
        {
            throw Invalid("tts.parallel-pieces", "must be from 1 to 64");
        }
        var checks = new SpeechCheckSettings(
            videoakka.GetDouble("tts.checks.silence-db"),
            videoakka.GetDouble("tts.checks.max-letters-per-second"),
            videoakka.GetDouble("tts.checks.max-cjk-per-second"));
        if (checks.SilenceDb is >= 0 or < -120)
        {
            throw Invalid("tts.checks.silence-db", "must be below 0 and at least -120 (dBFS)");
        }
        if (checks.MaxLettersPerSecond is <= 0 or > 1000 || checks.MaxCjkPerSecond is <= 0 or > 1000)
        {
            throw Invalid("tts.checks", "max-letters-per-second and max-cjk-per-second must be positive");
        }
        return new SpeechSettings(parallel, checks, OpenAiSpeechSettings.Create(videoakka.GetConfig("tts.openai"), apiKey), comfyUiWorkflows);
    }

    internal static ArgumentException Invalid(string path, string message) => new($"videoakka.{path} {message}");
}

/// <summary>What a spoken sentence must be to be used (see <see cref="SpeechChecks"/>).</summary>
public sealed record SpeechCheckSettings(double SilenceDb, double MaxLettersPerSecond, double MaxCjkPerSecond)
{
    public static SpeechCheckSettings Default { get; } = new(-50, 30, 12);
}
