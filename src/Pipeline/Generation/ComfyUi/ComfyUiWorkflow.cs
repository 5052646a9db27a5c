namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// A bound template and how its model wants to be driven: the pixel count it was trained at (the scene's size is
/// fitted to it at the job's aspect ratio, and the result scaled to the job's frame by ffmpeg), the step its width and
/// height must be multiples of, and for video, its native frame rate and frame count rules.
/// </summary>
/// <param name="FrameStep">Frame counts are FrameStep·k + 1 (Wan: 4); 1 means any count.</param>
public sealed record ComfyUiWorkflow(WorkflowTemplate Template, double Megapixels, int MultipleOf, double Fps, int MaxFrames, int FrameStep)
{
    public string Name => Template.Name;

    /// <summary>The generation size: about <see cref="Megapixels"/> at the frame's aspect ratio, each side a multiple
    /// of <see cref="MultipleOf"/>.</summary>
    public (int Width, int Height) SizeFor(int frameWidth, int frameHeight)
    {
        var aspect = (double)frameWidth / frameHeight;
        var pixels = Megapixels * 1_000_000;
        var width = Math.Sqrt(pixels * aspect);
        var height = width / aspect;
        return (Snap(width), Snap(height));
    }

    /// <summary>Frames for a clip of <paramref name="seconds"/> at the model's frame rate: the next count the model
    /// accepts, at most <see cref="MaxFrames"/> (a longer scene holds its clip's last frame).</summary>
    public int FramesFor(double seconds)
    {
        var wanted = Math.Max(1, (int)Math.Ceiling(seconds * Fps - 1e-9));
        var frames = FrameStep <= 1 ? wanted : 1 + FrameStep * (int)Math.Ceiling((wanted - 1) / (double)FrameStep);
        var cap = FrameStep <= 1 ? MaxFrames : 1 + FrameStep * ((MaxFrames - 1) / FrameStep);
        return Math.Clamp(frames, 1, Math.Max(1, cap));
    }

    private int Snap(double side) => Math.Max(MultipleOf, (int)Math.Round(side / MultipleOf) * MultipleOf);
}
