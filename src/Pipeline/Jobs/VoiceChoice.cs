namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// options.voice: which text-to-speech engine speaks the script, in which of its voices, how fast. A plain string in a
/// request means an espeak-ng voice, as it always has.
/// </summary>
/// <param name="Engine">A configured engine's name ("espeak", "openai", "comfyui").</param>
/// <param name="Name">The engine's voice (for "comfyui", the speech workflow's name); null takes the engine's
/// configured default.</param>
/// <param name="Rate">Speed as a multiple of the engine's normal pace (0.5 to 2); null is 1.</param>
public sealed record VoiceChoice(string Engine, string? Name = null, double? Rate = null)
{
    public const string Espeak = "espeak";

    public const string OpenAi = "openai";

    public const string ComfyUi = "comfyui";

    public const double MinRate = 0.5;

    public const double MaxRate = 2.0;

    public static VoiceChoice EspeakVoice(string name) => new(Espeak, name);

    /// <summary>espeak-ng without a named voice takes the worker's videoakka.output.voice.</summary>
    public VoiceChoice WithEspeakDefault(string defaultVoice) =>
        Engine == Espeak && Name is null ? this with { Name = defaultVoice } : this;

    /// <summary>How manifest.json names it: a bare espeak-ng voice as before, "engine:voice" for the others.</summary>
    public string Describe() => Engine == Espeak ? Name ?? Engine : Name is null ? Engine : $"{Engine}:{Name}";
}
