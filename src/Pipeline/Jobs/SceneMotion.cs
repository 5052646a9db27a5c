namespace VideoAkka.Pipeline.Jobs;

/// <summary>How a scene's clip is made from its image.</summary>
public enum SceneMotion
{
    /// <summary>By the generation backend: image-to-video on ComfyUI (the draft renderer's zoom without it).</summary>
    Model,

    /// <summary>A slow pan and zoom over the image with ffmpeg: no GPU prompt.</summary>
    KenBurns,
}

public static class SceneMotionNames
{
    public static string ToWire(this SceneMotion motion) => motion == SceneMotion.KenBurns ? "kenburns" : "model";

    public static bool TryParse(string? text, out SceneMotion motion)
    {
        (var ok, motion) = text switch
        {
            "kenburns" => (true, SceneMotion.KenBurns),
            "model" => (true, SceneMotion.Model),
            _ => (false, SceneMotion.Model),
        };
        return ok;
    }
}
