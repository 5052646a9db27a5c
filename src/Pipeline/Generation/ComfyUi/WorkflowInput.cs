namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>What a workflow binding can set per prompt (the keys of videoakka.comfyui.workflows.*.inputs and
/// videoakka.comfyui.speech.*.inputs).</summary>
public enum WorkflowInput
{
    Positive,
    Negative,
    Seed,
    Width,
    Height,
    Length,
    Fps,
    Image,
    FilenamePrefix,

    /// <summary>A speech workflow's words: one sentence of the narration.</summary>
    Text,

    /// <summary>A speech workflow's pace, from options.voice.rate (1 when the request gives none).</summary>
    Speed,
}

public static class WorkflowInputNames
{
    public static string ToConfigKey(this WorkflowInput input) => input switch
    {
        WorkflowInput.FilenamePrefix => "filename-prefix",
        _ => input.ToString().ToLowerInvariant(),
    };
}
