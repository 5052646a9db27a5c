using System.Collections.Immutable;
using VideoAkka.Pipeline.Media;

namespace VideoAkka.Pipeline.Graph;

/// <summary>One finished (or failed) part of a job, on its way to the assembler: a scene or the voiceover.
/// Each names what it produced, so it can later be recorded as an event.</summary>
public abstract record JobPart(JobRun Job);

/// <summary>A scene whose image and clip are made.</summary>
public sealed record SceneMade(JobRun Job, int Index, string ImagePath, string ClipPath) : JobPart(Job);

/// <summary>The voiceover is made, or (options.voiceover false) deliberately absent.</summary>
public sealed record VoiceoverMade(JobRun Job, Voiceover? Voiceover) : JobPart(Job);

/// <summary>A part that failed, or was skipped because its job had already failed.</summary>
public sealed record PartFailed(JobRun Job, string Error) : JobPart(Job);

/// <summary>A step of a whole job after fan-in.</summary>
public abstract record JobStep(JobRun Job);

/// <summary>All parts of a job are made: it is ready for subtitles and the render.</summary>
public sealed record AssembledJob(JobRun Job, ImmutableArray<SceneMade> Scenes, Voiceover? Voiceover) : JobStep(Job)
{
    public string? SubtitlePath { get; init; }

    /// <summary>The length of the final video: the voiceover's, or the clips' when there is no voiceover.</summary>
    public double DurationSeconds { get; init; }
}

/// <summary>Terminal: the video is at <paramref name="FinalVideoPath"/>.</summary>
public sealed record JobSucceeded(JobRun Job, string FinalVideoPath, string? VoiceoverPath) : JobStep(Job)
{
    /// <summary>What the render should be, for quality control; null once checked (or when nothing is to be checked).</summary>
    public Media.Qc.QcExpectations? Expect { get; init; }
}

/// <summary>Terminal: the job failed with <paramref name="Error"/>.</summary>
public sealed record JobFailed(JobRun Job, string Error) : JobStep(Job);
