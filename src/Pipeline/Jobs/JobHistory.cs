using System.Collections.Immutable;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// A job's events folded into what is known about it: which parts were made (by any run of it), the seeds its scenes
/// use, and how its latest run ended. Immutable: the job's actor replaces it with each event.
/// </summary>
public sealed record JobHistory
{
    public static JobHistory Empty { get; } = new();

    /// <summary>How many runs have started: more than one means the job was resumed.</summary>
    public int Starts { get; init; }

    public ImmutableArray<long> Seeds { get; init; } = [];

    public ImmutableDictionary<int, string> Images { get; init; } = ImmutableDictionary<int, string>.Empty;

    public ImmutableDictionary<int, string> Clips { get; init; } = ImmutableDictionary<int, string>.Empty;

    public JobEvent.VoiceoverReady? Voiceover { get; init; }

    public string? Rendered { get; init; }

    /// <summary>The latest run's outcome, or null while it runs.</summary>
    public JobEvent? Outcome { get; init; }

    public JobHistory Apply(JobEvent happened) => happened switch
    {
        JobEvent.Started started => this with { Starts = Starts + 1, Seeds = started.Seeds, Outcome = null },
        JobEvent.ImageReady image => this with { Images = Images.SetItem(image.Scene, image.File) },
        JobEvent.ClipReady clip => this with { Clips = Clips.SetItem(clip.Scene, clip.File) },
        JobEvent.VoiceoverReady voiceover => this with { Voiceover = voiceover },
        JobEvent.Rendered rendered => this with { Rendered = rendered.File },
        JobEvent.Completed or JobEvent.Failed or JobEvent.Cancelled => this with { Outcome = happened },
        _ => this,
    };
}
