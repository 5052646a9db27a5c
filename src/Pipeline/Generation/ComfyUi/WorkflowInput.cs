namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>What a workflow binding can set per scene (the keys of videoakka.comfyui.workflows.*.inputs).</summary>
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
}

public static class WorkflowInputNames
{
    public static string ToConfigKey(this WorkflowInput input) => input switch
    {
        WorkflowInput.FilenamePrefix => "filename-prefix",
        _ => input.ToString().ToLowerInvariant(),
    };
}
