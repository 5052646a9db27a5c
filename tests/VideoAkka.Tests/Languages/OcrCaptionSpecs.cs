using System.Globalization;
using System.Text.RegularExpressions;
using VideoAkka.Tests.Support;
using Xunit.Abstractions;

namespace VideoAkka.Tests.Languages;

/// <summary>
/// Issue 13, every language, Must show: for Chinese, Japanese, Arabic, Hindi, Russian and English a job completes,
/// and tesseract, with that language's data, reads back at least half of each cue's characters in a frame from the
/// middle of the cue, and of the prompt on the scene's draft card. (Before Noto fonts and libass-drawn cards,
/// Chinese and Hindi came out as empty boxes.)
/// </summary>
public sealed partial class OcrCaptionSpecs(LanguageJobs jobs, ITestOutputHelper output) : IClassFixture<LanguageJobs>
{
    /// <summary>Captions sit in the bottom part of the frame, the card's text in the middle: the caption's frame is
    /// cut from here down, so the card's words are not read as the caption's.</summary>
    private const double CaptionBand = 0.62;

    [Theory]
    [MemberData(nameof(LanguageJobs.Codes), MemberType = typeof(LanguageJobs))]
    public async Task Each_cue_of_the_final_video_reads_back_by_ocr_in_its_language(string code)
    {
        var language = LanguageJobs.Get(code);
        var folder = await jobs.CompletedFolderAsync(code);
        var cues = Cues(await File.ReadAllTextAsync(Path.Combine(folder, "subtitles.srt")));
        Assert.True(cues.Count >= 2, $"expected a cue per sentence, got {cues.Count}");

        foreach (var (cue, index) in cues.Select((c, i) => (c, i)))
        {
            var frame = await Ocr.FrameAsync(Path.Combine(folder, "stitched_subtitled.mp4"), (cue.Start + cue.End) / 2, CaptionBand,
                Path.Combine(folder, $"ocr_cue_{index + 1}.png"));
            var read = await Ocr.ReadAsync(frame, language.Tesseract);
            var (found, total) = Ocr.CharactersFound(cue.Text, read);
            output.WriteLine($"{code} cue {index + 1}: {found}/{total} of '{cue.Text}' in '{read.Trim()}'");
            Assert.True(2 * found >= total, $"{code} cue {index + 1}: OCR found {found} of {total} characters of '{cue.Text}' in '{read.Trim()}'");
        }
    }

    [Theory]
    [MemberData(nameof(LanguageJobs.Codes), MemberType = typeof(LanguageJobs))]
    public async Task The_draft_card_shows_the_prompt_readable_by_ocr_in_its_language(string code)
    {
        var language = LanguageJobs.Get(code);
        var folder = await jobs.CompletedFolderAsync(code);

        var read = await Ocr.ReadAsync(Path.Combine(folder, "img_001.png"), language.Tesseract);

        var (found, total) = Ocr.CharactersFound(language.Prompt, read);
        output.WriteLine($"{code} card: {found}/{total} of '{language.Prompt}' in '{read.Trim()}'");
        Assert.True(2 * found >= total, $"{code} card: OCR found {found} of {total} characters of '{language.Prompt}' in '{read.Trim()}'");
    }

    private sealed record Cue(double Start, double End, string Text);

    private static List<Cue> Cues(string srt) => [.. CueBlock().Matches(srt).Select(m => new Cue(
        Seconds(m.Groups["start"].Value), Seconds(m.Groups["end"].Value), m.Groups["text"].Value.Replace('\n', ' ')))];

    private static double Seconds(string timestamp) =>
        TimeSpan.ParseExact(timestamp, @"hh\:mm\:ss\,fff", CultureInfo.InvariantCulture).TotalSeconds;

    [GeneratedRegex(@"\d+\n(?<start>[\d:,]+) --> (?<end>[\d:,]+)\n(?<text>(?:.+\n)+)")]
    private static partial Regex CueBlock();
}
