namespace VideoAkka.Pipeline.Graph;

/// <summary>Parallelism of each stage of the graph (videoakka.stages.*.parallelism).</summary>
public sealed record StageSettings(int ImageGen, int VideoGen, int Tts, int Subtitle, int Stitch)
{
    public int Sum => ImageGen + VideoGen + Tts + Subtitle + Stitch;
}
