using System.Text.Json;
using System.Text.RegularExpressions;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// Reads options.voice: a plain string is an espeak-ng voice; an object {"engine", "name", "rate"} names any configured
/// engine. An engine this service has not configured, or a ComfyUI speech workflow it does not have, is refused at
/// submit time, not failed later in the worker.
/// </summary>
public static partial class VoiceOptionReader
{
    /// <summary>Whether <paramref name="name"/> may name a voice of an HTTP engine or a ComfyUI speech workflow.</summary>
    public static bool IsEngineVoiceName(string name) => EngineVoicePattern().IsMatch(name);

    private const string Path = "options.voice";

    /// <summary>HTTP engines' voice names ("alloy", Kokoro's "af_bella" or a mix "af_bella+af_sky"): they end up in
    /// a JSON body, never on a command line, but stay a plain word.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex EngineVoicePattern();

    public static VoiceChoice? Read(JsonElement options, VoiceCatalog voices, List<ValidationError> errors)
    {
        if (!options.TryGetProperty("voice", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var name = value.GetString()!;
                if (!JobLimits.VoicePattern().IsMatch(name))
                {
                    errors.Add(new(Path, "must be an espeak-ng voice name such as \"en\" or \"en-us\""));
                    return null;
                }
                return VoiceChoice.EspeakVoice(name);
            case JsonValueKind.Object:
                return ReadObject(value, voices, errors);
            default:
                errors.Add(new(Path, "must be an espeak-ng voice name or an object {\"engine\", \"name\", \"rate\"}"));
                return null;
        }
    }

    private static VoiceChoice? ReadObject(JsonElement voice, VoiceCatalog voices, List<ValidationError> errors)
    {
        var engines = voices.Engines;
        var before = errors.Count;
        var engine = VoiceChoice.Espeak;
        if (voice.TryGetProperty("engine", out var engineValue) && engineValue.ValueKind != JsonValueKind.Null)
        {
            if (engineValue.ValueKind == JsonValueKind.String && engineValue.GetString() == VoiceChoice.ComfyUi && !engines.Contains(VoiceChoice.ComfyUi))
            {
                errors.Add(new($"{Path}.engine", "the comfyui engine is not configured on this service: it needs a ComfyUI backend (COMFYUI_URL) with a speech workflow (videoakka.comfyui.speech)"));
            }
            else if (engineValue.ValueKind != JsonValueKind.String || !engines.Contains(engineValue.GetString()!))
            {
                // The configured names only: a name the client made up is never echoed back.
                errors.Add(new($"{Path}.engine", $"must be one of the engines this service has configured: {string.Join(", ", engines.Order(StringComparer.Ordinal))}"));
            }
            else
            {
                engine = engineValue.GetString()!;
            }
        }

        string? name = null;
        if (voice.TryGetProperty("name", out var nameValue) && nameValue.ValueKind != JsonValueKind.Null)
        {
            name = nameValue.ValueKind == JsonValueKind.String ? nameValue.GetString() : null;
            var pattern = engine == VoiceChoice.Espeak ? JobLimits.VoicePattern() : EngineVoicePattern();
            if (name is null || !pattern.IsMatch(name))
            {
                errors.Add(new($"{Path}.name", engine == VoiceChoice.Espeak
                    ? "must be an espeak-ng voice name such as \"en\" or \"en-us\""
                    : "must be a voice name of letters, digits, '_', '.', '+' or '-' (at most 64)"));
            }
            else if (engine == VoiceChoice.ComfyUi && !voices.ComfyUiWorkflows.Contains(name))
            {
                errors.Add(new($"{Path}.name", UnknownWorkflow(voices)));
            }
        }
        else if (engine == VoiceChoice.ComfyUi)
        {
            // A ComfyUI voice is a whole workflow (model, speaker, language): it is chosen, never defaulted.
            errors.Add(new($"{Path}.name", UnknownWorkflow(voices)));
        }

        double? rate = null;
        if (voice.TryGetProperty("rate", out var rateValue) && rateValue.ValueKind != JsonValueKind.Null)
        {
            if (rateValue.ValueKind == JsonValueKind.Number && rateValue.TryGetDouble(out var r) && r is >= VoiceChoice.MinRate and <= VoiceChoice.MaxRate)
            {
                rate = r;
            }
            else
            {
                errors.Add(new($"{Path}.rate", $"must be a number from {VoiceChoice.MinRate} to {VoiceChoice.MaxRate} (1 is the voice's normal pace)"));
            }
        }
        return errors.Count == before ? new VoiceChoice(engine, name, rate) : null;
    }

    /// <summary>The configured names only: a name the client made up is never echoed back.</summary>
    private static string UnknownWorkflow(VoiceCatalog voices) =>
        $"must name one of this service's ComfyUI speech workflows: {string.Join(", ", voices.ComfyUiWorkflows.Order(StringComparer.Ordinal))}";
}
