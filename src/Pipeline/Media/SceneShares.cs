using System.Collections.Immutable;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// How the narration's length is shared among the scenes, in whole frames so the shares add up to exactly the
/// video's length. Scenes that each carry the narration they illustrate (a scene's "text") last as long as that text
/// is spoken; otherwise the shares are equal.
/// </summary>
public static class SceneShares
{
    /// <summary>Frame counts, one per weight, in proportion to the weights and summing to round(seconds × fps).</summary>
    public static ImmutableArray<int> Frames(IReadOnlyList<double> weights, double seconds, int fps)
    {
        if (weights.Count == 0)
        {
            throw new ArgumentException("at least one scene is needed", nameof(weights));
        }
        var total = Math.Max(weights.Count, (int)Math.Round(seconds * fps, MidpointRounding.AwayFromZero));
        var sum = weights.Sum(w => Math.Max(w, 0));
        var frames = ImmutableArray.CreateBuilder<int>(weights.Count);
        var before = 0;
        var cumulative = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            cumulative += sum > 0 ? Math.Max(weights[i], 0) / sum : 1.0 / weights.Count;
            // Each boundary is rounded, never each share, so rounding errors do not pile up; every scene keeps a frame.
            var end = i == weights.Count - 1 ? total : Math.Clamp((int)Math.Round(cumulative * total), before + 1, total - (weights.Count - 1 - i));
            frames.Add(end - before);
            before = end;
        }
        return frames.MoveToImmutable();
    }

    /// <summary>
    /// The seconds each scene's text takes to speak, read off the spoken cues: the script's characters are laid end
    /// to end, each scene's text claims its share of them in order, and a scene's boundary falls where the cue holding
    /// that character starts (snapped to the cue when the texts and the script differ a little). Null when a scene
    /// has no text, or there are no cues: equal shares then.
    /// </summary>
    public static ImmutableArray<double>? FromSceneTexts(IReadOnlyList<string?> sceneTexts, IReadOnlyList<SubtitleCue> cues, double seconds)
    {
        if (cues.Count == 0 || sceneTexts.Count == 0 || sceneTexts.Any(string.IsNullOrWhiteSpace))
        {
            return null;
        }
        var sceneWeights = sceneTexts.Select(t => (double)Letters(t!)).ToArray();
        var cueLetters = cues.Select(c => (double)Letters(c.Text)).ToArray();
        var sceneTotal = sceneWeights.Sum();
        var cueTotal = cueLetters.Sum();
        if (sceneTotal <= 0 || cueTotal <= 0)
        {
            return null;
        }
        var boundaries = new double[sceneTexts.Count + 1];
        boundaries[^1] = seconds;
        var claimed = 0.0;
        for (var i = 0; i < sceneTexts.Count - 1; i++)
        {
            claimed += sceneWeights[i] / sceneTotal * cueTotal;
            boundaries[i + 1] = Math.Max(boundaries[i], TimeAt(claimed, cues, cueLetters));
        }
        return [.. Enumerable.Range(0, sceneTexts.Count).Select(i => boundaries[i + 1] - boundaries[i])];
    }

    /// <summary>The start of the cue nearest to the character position (a cut lands where a sentence starts).</summary>
    private static double TimeAt(double letters, IReadOnlyList<SubtitleCue> cues, double[] cueLetters)
    {
        var before = 0.0;
        for (var c = 0; c < cues.Count; c++)
        {
            var after = before + cueLetters[c];
            if (letters < after)
            {
                return letters - before < after - letters ? cues[c].Start : cues[c].End;
            }
            before = after;
        }
        return cues[^1].End;
    }

    private static int Letters(string text) => text.Count(char.IsLetterOrDigit);
}
