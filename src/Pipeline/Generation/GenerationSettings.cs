using Akka.Configuration;

namespace VideoAkka.Pipeline.Generation;

/// <summary>Which backend makes the videos (videoakka.generation.backend).</summary>
public enum GenerationBackend
{
    /// <summary>ffmpeg draft cards, no GPU.</summary>
    Draft,

    /// <summary>The ComfyUI instances of COMFYUI_URL.</summary>
    ComfyUi,

    /// <summary>No video at all: placeholder files, no ffmpeg, espeak-ng or ComfyUI, so that what is measured is the
    /// orchestrator alone (the benchmarks' backend). Never chosen but by name.</summary>
    Null,
}

/// <summary>
/// videoakka.generation, read and checked at startup: an unknown backend, or comfyui without COMFYUI_URL, stops the
/// start with a message naming the setting.
/// </summary>
/// <param name="NullDelay">How long the null backend holds each scene's clip: 0 passes jobs straight through; a delay
/// keeps them in flight, to measure what a worker holds per running job.</param>
public sealed record GenerationSettings(GenerationBackend Backend, TimeSpan NullDelay)
{
    /// <param name="videoakka">The videoakka section, with the defaults under it.</param>
    /// <param name="comfyUiUrlSet">COMFYUI_URL is set: "auto" then picks ComfyUI.</param>
    public static GenerationSettings Create(Config videoakka, bool comfyUiUrlSet)
    {
        // Unquoted, HOCON reads `backend = null` as its null literal: that (and "null" quoted) names the null backend.
        // A missing key is the default, auto; an empty string is a mistake.
        var name = videoakka.HasPath("generation.backend") ? videoakka.GetString("generation.backend") : "auto";
        var backend = name switch
        {
            null => GenerationBackend.Null,
            "auto" => comfyUiUrlSet ? GenerationBackend.ComfyUi : GenerationBackend.Draft,
            "draft" => GenerationBackend.Draft,
            "comfyui" when comfyUiUrlSet => GenerationBackend.ComfyUi,
            "comfyui" => throw new ArgumentException("videoakka.generation.backend = comfyui needs COMFYUI_URL"),
            "null" => GenerationBackend.Null,
            _ => throw new ArgumentException($"videoakka.generation.backend must be auto, draft, comfyui or null, got \"{name}\""),
        };
        var delay = videoakka.GetTimeSpan("generation.null.delay", TimeSpan.Zero);
        if (delay < TimeSpan.Zero || delay > TimeSpan.FromHours(1))
        {
            throw new ArgumentException("videoakka.generation.null.delay must be from 0s to 1h");
        }
        return new GenerationSettings(backend, delay);
    }
}
