using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Captions;
using VideoAkka.Tests.Support;
using Xunit.Abstractions;

namespace VideoAkka.Tests.Integration;

/// <summary>Issue 13, Also must show 1: captions start with the speech they show, per sentence and, in karaoke mode, per
/// word, measured on the final MP4's audio with ffmpeg's silencedetect.</summary>
public sealed partial class CaptionTimingSpecs(ITestOutputHelper output)
{
    private const double Tolerance = 0.150;

    private const string SixSentences =
        "The old lighthouse stands alone on the cliff. Every night its lamp turns over the water. "
        + "Ships far away follow the slow beam home. Storms come in winter and shake the windows. "
        + "The keeper writes each one down in a book. In spring the gulls return to the rocks.";

    [Fact]
    public async Task In_karaoke_mode_each_sentence_and_each_word_starts_within_150_ms_of_its_onset_in_the_final_audio()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var body = JsonNode.Parse(JobBodies.Simple("karaoke-timing", scenes: 2, sceneSeconds: 2, script: SixSentences))!;
        body["options"]!["subtitles"] = new JsonObject { ["mode"] = "karaoke" };
        var jobId = await service.SubmitAsync(body.ToJsonString());
        var status = await service.WaitUntilFinishedAsync(jobId);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        var folder = service.Folder("karaoke-timing");
        var video = Path.Combine(folder, "stitched_subtitled.mp4");

        var sentenceStarts = SrtStarts(await File.ReadAllTextAsync(Path.Combine(folder, "subtitles.srt")));
        var wordStarts = AssStarts(await File.ReadAllTextAsync(Path.Combine(folder, "subtitles.ass")));
        var sentenceOnsets = await OnsetsAsync(video, minSilence: 0.2);
        output.WriteLine($"sentences: cues {Join(sentenceStarts)}; onsets {Join(sentenceOnsets)}");
        output.WriteLine($"words: events {Join(wordStarts)}");

        Assert.Equal(6, sentenceStarts.Length);
        foreach (var start in sentenceStarts)
        {
            var nearest = sentenceOnsets.MinBy(o => Math.Abs(o - start));
            Assert.True(Math.Abs(nearest - start) <= Tolerance, $"the cue at {start:0.000} s is {nearest - start:+0.000;-0.000} s from the nearest sentence onset");
            Assert.Contains(wordStarts, w => Math.Abs(w - start) < 0.011); // the sentence's first word event starts with it
        }
        // Each word against where espeak-ng itself says it starts in that sentence (its library's word events), placed at
        // the sentence's onset heard in the final audio.
        var sentences = SentenceSplitter.Split(SixSentences);
        var errors = new List<(string Word, double Error)>();
        for (var i = 0; i < sentences.Length; i++)
        {
            var onset = sentenceOnsets.MinBy(o => Math.Abs(o - sentenceStarts[i]));
            var end = i + 1 < sentenceStarts.Length ? sentenceStarts[i + 1] : double.MaxValue;
            var events = wordStarts.Where(w => w >= sentenceStarts[i] - 0.011 && w < end - 0.011).ToArray();
            var truth = EspeakWordEvents.Words(sentences[i], "en");
            var words = CaptionText.Words(sentences[i]);
            Assert.Equal(words.Length, events.Length); // one karaoke event per word
            var offsets = WordOffsets(sentences[i], words);
            // espeak-ng may speak a short word with the next as one ("on the"): words it reports are compared.
            var matched = truth.Where(t => offsets.Contains(t.Offset)).ToArray();
            Assert.True(matched.Length >= words.Length - 2, $"espeak-ng reported {matched.Length} of the {words.Length} words of \"{sentences[i]}\"");
            errors.AddRange(matched.Select(t => (words[Array.IndexOf(offsets, t.Offset)], events[Array.IndexOf(offsets, t.Offset)] - (onset + t.Start))));
        }
        output.WriteLine($"word errors: {string.Join(", ", errors.Select(e => $"{e.Word} {e.Error:+0.000;-0.000}"))}");
        output.WriteLine($"mean |error| {errors.Average(e => Math.Abs(e.Error)):0.000} s, worst {errors.Max(e => Math.Abs(e.Error)):0.000} s");
        Assert.All(errors, e => Assert.True(Math.Abs(e.Error) <= Tolerance, $"\"{e.Word}\" is shown {e.Error:+0.000;-0.000} s from when it is spoken"));
    }

    private static int[] WordOffsets(string text, IReadOnlyList<string> words)
    {
        var offsets = new int[words.Count];
        var at = 0;
        for (var i = 0; i < words.Count; i++)
        {
            offsets[i] = text.IndexOf(words[i], at, StringComparison.Ordinal);
            at = offsets[i] + words[i].Length;
        }
        return offsets;
    }

    private static string Join(IEnumerable<double> seconds) => string.Join(" ", seconds.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)));

    /// <summary>Where sound starts after a silence of at least <paramref name="minSilence"/>, and at 0 when the audio
    /// starts with sound.</summary>
    private static async Task<double[]> OnsetsAsync(string video, double minSilence)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostats", "-i", video, "-vn", "-af", string.Create(CultureInfo.InvariantCulture, $"silencedetect=noise=-40dB:d={minSilence}"), "-f", "null", "-"])
            .ExecuteBufferedAsync();
        var starts = SilenceStart().Matches(result.StandardError).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        var ends = SilenceEnd().Matches(result.StandardError).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return [.. (starts.Length > 0 && starts[0] < 0.01 ? [] : new[] { 0.0 }).Concat(ends)];
    }

    private static double[] SrtStarts(string srt) =>
        [.. SrtTime().Matches(srt).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 3600 + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * 60
            + double.Parse($"{m.Groups[3].Value}.{m.Groups[4].Value}", CultureInfo.InvariantCulture))];

    private static double[] AssStarts(string ass) =>
        [.. AssTime().Matches(ass).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 3600 + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * 60
            + double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"silence_start: (-?[0-9.]+)")]
    private static partial Regex SilenceStart();

    [GeneratedRegex(@"silence_end: ([0-9.]+)")]
    private static partial Regex SilenceEnd();

    [GeneratedRegex(@"(?m)^(\d+):(\d\d):(\d\d),(\d\d\d) -->")]
    private static partial Regex SrtTime();

    [GeneratedRegex(@"(?m)^Dialogue: 0,(\d+):(\d\d):(\d\d\.\d\d),")]
    private static partial Regex AssTime();
}
