using System.Collections.Frozen;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// What options.voice may ask of this service: the engines it has configured and, for the ComfyUI engine, the names of
/// its speech workflows. Built once at startup; a request naming anything else is refused at submit.
/// </summary>
/// <param name="Engines">"espeak" always; "openai" and "comfyui" when configured.</param>
/// <param name="ComfyUiWorkflows">videoakka.comfyui.speech's names; empty without COMFYUI_URL.</param>
public sealed record VoiceCatalog(IReadOnlySet<string> Engines, IReadOnlySet<string> ComfyUiWorkflows)
{
    public static VoiceCatalog EspeakOnly { get; } = Of(openAi: false, []);

    /// <param name="comfyUiWorkflows">The ComfyUI speech workflows: the comfyui engine is on when there is one.</param>
    public static VoiceCatalog Of(bool openAi, IEnumerable<string> comfyUiWorkflows)
    {
        var workflows = comfyUiWorkflows.ToFrozenSet(StringComparer.Ordinal);
        IEnumerable<string> engines = [VoiceChoice.Espeak, .. openAi ? [VoiceChoice.OpenAi] : Array.Empty<string>(),
            .. workflows.Count > 0 ? [VoiceChoice.ComfyUi] : Array.Empty<string>()];
        return new VoiceCatalog(engines.ToFrozenSet(StringComparer.Ordinal), workflows);
    }

    /// <summary>A catalog of these engine names alone (no ComfyUI workflows).</summary>
    public static VoiceCatalog OfEngines(IReadOnlySet<string> engines) => new(engines, FrozenSet<string>.Empty);
}
