namespace VideoAkka.Pipeline.Graph;

/// <summary>Parallelism of each stage of the graph (videoakka.stages.*.parallelism), and how long one unit of its work
/// may take (videoakka.stages.*.timeout).</summary>
public sealed record StageSettings(int ImageGen, int VideoGen, int Tts, int Subtitle, int Stitch)
{
    /// <summary>Quality control of finished renders (videoakka.stages.qc.parallelism).</summary>
    public int Qc { get; init; } = 1;

    public int Sum => ImageGen + VideoGen + Tts + Subtitle + Stitch + Qc;

    public StageTimeouts Timeouts { get; init; } = StageTimeouts.Default;
}

/// <summary>The most one unit of a stage may take: one scene's image or clip, one voiceover, one subtitle file, one
/// final render. Only running work counts: the clock starts when the stage takes the unit, not while it waits for a
/// free slot.</summary>
public sealed record StageTimeouts(TimeSpan ImageGen, TimeSpan VideoGen, TimeSpan Tts, TimeSpan Subtitle, TimeSpan Stitch)
{
    public static StageTimeouts Default { get; } = new(
        TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30));

    /// <summary>One quality check of a render (one decode of it).</summary>
    public TimeSpan Qc { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan For(string stage) => stage switch
    {
        Jobs.JobStages.ImageGen => ImageGen,
        Jobs.JobStages.VideoGen => VideoGen,
        Jobs.JobStages.Tts => Tts,
        Jobs.JobStages.Subtitle => Subtitle,
        Jobs.JobStages.Stitch => Stitch,
        Jobs.JobStages.Qc => Qc,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "not a stage with a timeout"),
    };
}
