using System.Collections.Immutable;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>
/// Writes a job's captions: subtitles.srt (plain, for players and editors) and subtitles.ass (styled, burned in by
/// the render). Words are timed by measuring them (<see cref="EspeakWordTimer"/>) only where the captions show
/// them: karaoke and word modes, and sentence pages of a cue too long for the lines.
/// </summary>
public sealed class CaptionWriter(EspeakWordTimer wordTimer)
{
    private const string WorkFolder = "captions";

    /// <param name="voice">The espeak-ng voice the words are measured with; null when nothing is spoken (the cues
    /// were spread over the clips), and the words are then spread over their cue by length.</param>
    /// <returns>The path of subtitles.ass.</returns>
    public async Task<string> WriteAsync(IReadOnlyList<SubtitleCue> cues, CaptionOptions options, VideoFormat format, string? voice,
        JobFolder folder, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(folder.Subtitles, SrtWriter.Write(cues), cancellationToken).ConfigureAwait(false);
        var style = CaptionStyle.For(format, options.Style);
        var timed = new List<TimedCue>(cues.Count);
        var work = Path.Combine(folder.Path, WorkFolder);
        foreach (var cue in cues)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var words = CaptionText.Words(cue.Text);
            var measure = voice is not null
                && (options.Mode != CaptionMode.Sentence || CaptionLines.Pages(words, style.MaxChars, style.MaxLines).Length > 1);
            var wordTimes = measure
                ? await wordTimer.TimeAsync(cue.Text, cue.Start, cue.End - cue.Start, voice!, work, cancellationToken).ConfigureAwait(false)
                : WordTiming.Proportional(words, cue.Start, cue.End - cue.Start);
            timed.Add(new TimedCue(cue, wordTimes));
        }
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }
        await File.WriteAllTextAsync(folder.Captions, AssWriter.Write(timed, style, options.Mode), cancellationToken).ConfigureAwait(false);
        return folder.Captions;
    }

    /// <summary>The cues' words spread by length, for callers with no speech to measure.</summary>
    public static ImmutableArray<TimedCue> Unmeasured(IEnumerable<SubtitleCue> cues) =>
        [.. cues.Select(c => new TimedCue(c, WordTiming.Proportional(CaptionText.Words(c.Text), c.Start, c.End - c.Start)))];
}
