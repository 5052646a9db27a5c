using System.Collections.Immutable;

namespace VideoAkka.Pipeline.Media;

/// <summary>Places subtitle pieces on the timeline.</summary>
public static class CueTiming
{
    /// <summary>Each piece was spoken on its own and the recordings were joined in order: a cue lasts exactly as long
    /// as its own speech.</summary>
    public static ImmutableArray<SubtitleCue> FromSpokenDurations(IReadOnlyList<string> pieces, IReadOnlyList<double> durations)
    {
        if (pieces.Count != durations.Count)
        {
            throw new ArgumentException("one duration per piece is needed", nameof(durations));
        }
        var cues = ImmutableArray.CreateBuilder<SubtitleCue>(pieces.Count);
        var start = 0.0;
        for (var i = 0; i < pieces.Count; i++)
        {
            var end = start + durations[i];
            cues.Add(new SubtitleCue(start, end, pieces[i]));
            start = end;
        }
        return cues.MoveToImmutable();
    }

    /// <summary>No voiceover: spread the pieces over the video in proportion to their length, as a reader would.</summary>
    public static ImmutableArray<SubtitleCue> Proportional(IReadOnlyList<string> pieces, double totalSeconds)
    {
        var totalCharacters = pieces.Sum(p => Math.Max(1, p.Length));
        var durations = pieces.Select(p => totalSeconds * Math.Max(1, p.Length) / totalCharacters).ToArray();
        return FromSpokenDurations(pieces, durations);
    }
}
