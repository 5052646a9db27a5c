using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>
/// Writes a job's captions: subtitles.srt (plain, for players and editors) and subtitles.ass (styled, burned in by
/// the render). Words are timed by measuring them (<see cref="EspeakWordTimer"/>) only where the captions show
/// them: karaoke and word modes, and sentence pages of a cue too long for the lines.
/// </summary>
public sealed class CaptionWriter(EspeakWordTimer wordTimer) : ICaptionFiles
{
    private const string WorkFolder = "captions";

    /// <param name="voice">The espeak-ng voice the words are measured with; null when nothing is spoken (the cues
    /// were spread over the clips), and the words are then spread over their cue by length.</param>
    /// <returns>The path of subtitles.ass.</returns>
    public async Task<string> WriteAsync(IReadOnlyList<SubtitleCue> cues, CaptionOptions options, VideoFormat format, string? voice,
        JobFolder folder, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(folder.Subtitles, SrtWriter.Write(cues), cancellationToken).ConfigureAwait(false);
        var style = CaptionStyle.For(format, options.Style, string.Join('\n', cues.Select(c => c.Text)));
        var timed = new TimedCue[cues.Count];
        var work = Path.Combine(folder.Path, WorkFolder);
        // One espeak-ng pass per measured piece, a few at once: a long script has hundreds of pieces, and the
        // subtitle stage has a timeout.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, cues.Count, parallel, async (i, ct) =>
        {
            var cue = cues[i];
            var tokens = CaptionText.Tokens(cue.Text);
            var words = tokens.Select(t => t.Text).ToArray();
            var measure = voice is not null
                && (options.Mode != CaptionMode.Sentence || CaptionPages.Pages(tokens, style.MaxChars, style.MaxLines).Length > 1);
            var wordTimes = measure
                ? await wordTimer.TimeAsync(cue.Text, cue.Start, cue.End - cue.Start, voice!, work, ct).ConfigureAwait(false)
                : WordTiming.Proportional(words, cue.Start, cue.End - cue.Start);
            // The timers return one word per token, in order; the joins (space or nothing) are the tokens'.
            timed[i] = new TimedCue(cue, [.. wordTimes.Select((w, k) => w with { SpaceAfter = k >= tokens.Length || tokens[k].SpaceAfter })]);
        }).ConfigureAwait(false);
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }
        await File.WriteAllTextAsync(folder.Captions, AssWriter.Write(timed, style, options.Mode), cancellationToken).ConfigureAwait(false);
        return folder.Captions;
    }
}
