using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// What happened to a job, in the order it happened: the journal of its <c>JobActor</c>, persistence id
/// <c>job-{job_id}</c>. The job record is the read model written from these; a job taken again replays them and runs
/// only what is missing. Files are named relative to the job's folder, so another worker (another mount of
/// DATA_SHARED_BASE) resumes it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(Started), "job_started")]
[JsonDerivedType(typeof(ImageReady), "image_ready")]
[JsonDerivedType(typeof(ClipReady), "clip_ready")]
[JsonDerivedType(typeof(VoiceoverReady), "voiceover_ready")]
[JsonDerivedType(typeof(Rendered), "rendered")]
[JsonDerivedType(typeof(Completed), "completed")]
[JsonDerivedType(typeof(Failed), "failed")]
[JsonDerivedType(typeof(Cancelled), "cancelled")]
public abstract record JobEvent
{
    /// <summary>A worker started (or resumed) the job, with the seeds its scenes use, so a resumed scene is made the
    /// same way.</summary>
    public sealed record Started(string WorkerId, ImmutableArray<long> Seeds, DateTimeOffset At) : JobEvent;

    /// <summary>Scene <paramref name="Scene"/> (1-based)'s image is complete at <paramref name="File"/>.</summary>
    public sealed record ImageReady(int Scene, string File) : JobEvent;

    public sealed record ClipReady(int Scene, string File) : JobEvent;

    /// <summary>The voiceover and the cue timings measured from its speech.</summary>
    public sealed record VoiceoverReady(string File, double DurationSeconds, ImmutableArray<SpokenCue> Cues) : JobEvent;

    /// <summary>The final video is rendered, not yet recorded as the job's outcome.</summary>
    public sealed record Rendered(string File) : JobEvent;

    public sealed record Completed(DateTimeOffset At) : JobEvent;

    /// <summary>The first failure of the job; <paramref name="Stage"/> is where it happened.</summary>
    public sealed record Failed(string Reason, string Stage, DateTimeOffset At) : JobEvent;

    /// <summary>Stopped on request while it ran.</summary>
    public sealed record Cancelled(DateTimeOffset At) : JobEvent;
}

/// <summary>One subtitle cue as journaled: text shown from <paramref name="Start"/> to <paramref name="End"/> seconds.</summary>
public sealed record SpokenCue(double Start, double End, string Text);

/// <summary>Source-generated JSON for the journal's events: the journal is a durable contract, so its shape is ours,
/// never a reflection-based default.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(JobEvent))]
public sealed partial class JobEventJson : JsonSerializerContext;
