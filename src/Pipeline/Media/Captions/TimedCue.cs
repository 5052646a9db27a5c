using System.Collections.Immutable;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>A spoken piece and its words on the timeline (the words lie inside the cue, in order).</summary>
public sealed record TimedCue(SubtitleCue Cue, ImmutableArray<TimedWord> Words);
