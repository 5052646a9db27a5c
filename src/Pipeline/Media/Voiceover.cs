using System.Collections.Immutable;

namespace VideoAkka.Pipeline.Media;

/// <summary>A spoken script: the audio file, its length, and the subtitle cues timed from the speech itself.</summary>
public sealed record Voiceover(string Path, double DurationSeconds, ImmutableArray<SubtitleCue> Cues);
