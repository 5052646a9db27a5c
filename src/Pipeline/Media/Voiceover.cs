using System.Collections.Immutable;

namespace VideoAkka.Pipeline.Media;

/// <summary>A spoken script: the audio file, its length, and the subtitle cues timed from the speech itself.</summary>
public sealed record Voiceover(string Path, double DurationSeconds, ImmutableArray<SubtitleCue> Cues)
{
    /// <summary>Each sentence as it was spoken: where it starts in the voiceover, how long it lasts, and its own audio
    /// (relative to the job folder) when it was spoken in this run, for aligning words within it. A voiceover resumed
    /// from the journal knows the first two from its cues only.</summary>
    public ImmutableArray<SpokenSentence> Sentences { get; init; } =
        [.. Cues.Select(c => new SpokenSentence(c.Text, c.Start, c.End - c.Start, null))];
}

/// <param name="Offset">Seconds from the start of the voiceover.</param>
/// <param name="AudioFile">The sentence's own PCM WAV, relative to the job folder (tts/piece_NNN.wav).</param>
public sealed record SpokenSentence(string Text, double Offset, double Duration, string? AudioFile);
