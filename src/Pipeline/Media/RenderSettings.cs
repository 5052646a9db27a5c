namespace VideoAkka.Pipeline.Media;

/// <summary>How the final video is encoded.</summary>
public sealed record RenderSettings(string Preset, int Crf)
{
    private static readonly string[] Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    public static RenderSettings Default { get; } = new("veryfast", 20);

    public void Validate()
    {
        if (!Presets.Contains(Preset))
        {
            throw new ArgumentException($"videoakka.output.preset must be one of {string.Join(", ", Presets)}, got \"{Preset}\"");
        }
        if (Crf is < 0 or > 51)
        {
            throw new ArgumentException($"videoakka.output.crf must be from 0 to 51, got {Crf}");
        }
    }
}
