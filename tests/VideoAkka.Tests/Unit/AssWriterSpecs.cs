using System.Collections.Immutable;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Captions;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class AssWriterSpecs
{
    private static readonly VideoFormat Portrait = new(1080, 1920, 30);
    private static readonly VideoFormat Landscape = new(1920, 1080, 30);

    /// <summary>A cue whose words last one second each, from <paramref name="start"/>.</summary>
    private static TimedCue Cue(double start, string text)
    {
        var words = CaptionText.Words(text);
        return new TimedCue(new SubtitleCue(start, start + words.Length, text),
            [.. words.Select((w, i) => new TimedWord(start + i, start + i + 1, w))]);
    }

    private static string[] Dialogues(string ass) =>
        [.. ass.Split('\n').Where(l => l.StartsWith("Dialogue: ", StringComparison.Ordinal))];

    private static string Write(CaptionMode mode, VideoFormat format, CaptionStyleRequest? request = null, params TimedCue[] cues) =>
        AssWriter.Write(cues, CaptionStyle.For(format, request ?? CaptionStyleRequest.None), mode);

    [Fact]
    public void The_script_declares_the_1080p_frame_of_the_shape_and_one_style_with_the_defaults_for_9_16()
    {
        var ass = Write(CaptionMode.Sentence, new VideoFormat(360, 640, 15));

        Assert.Contains("PlayResX: 1080\nPlayResY: 1920\n", ass);
        Assert.Contains("ScaledBorderAndShadow: yes\n", ass);
        Assert.Contains("\nStyle: Caption,DejaVu Sans,64,&H00FFFFFF,&H00FFFFFF,&H00000000,&H5F000000,-1,0,0,0,100,100,0,0,1,4,0,2,60,60,440,1\n", ass);
    }

    [Fact]
    public void The_9_16_default_keeps_two_lines_and_their_outline_clear_of_the_bottom_20_percent()
    {
        var style = CaptionStyle.For(Portrait, CaptionStyleRequest.None);

        Assert.True(style.Margin - style.Outline > CaptionStyle.PortraitUnsafeBottom * style.FrameHeight,
            $"the lowest caption pixel is {style.Margin - style.Outline} lines above the bottom");
        Assert.Equal(2, style.MaxLines);
        Assert.True(style.MaxChars * style.Size * 0.62 < style.FrameWidth - 2 * 60, "a full line is wider than the frame");
    }

    [Fact]
    public void A_sentence_cue_is_one_event_from_its_start_to_its_end()
    {
        var ass = Write(CaptionMode.Sentence, Landscape, null, Cue(1.5, "Hello there."), Cue(3.5, "Bye."));

        Assert.Equal(["Dialogue: 0,0:00:01.50,0:00:03.50,Caption,,0,0,0,,Hello there.", "Dialogue: 0,0:00:03.50,0:00:04.50,Caption,,0,0,0,,Bye."], Dialogues(ass));
    }

    [Fact]
    public void A_cue_longer_than_its_lines_is_wrapped_at_max_chars_and_shown_in_pages_of_at_most_max_lines()
    {
        var cue = Cue(0, "one two three four five six seven eight nine ten");

        var events = Dialogues(Write(CaptionMode.Sentence, Landscape, new CaptionStyleRequest(MaxChars: 9, MaxLines: 2), cue));

        Assert.Equal(
        [
            "Dialogue: 0,0:00:00.00,0:00:03.00,Caption,,0,0,0,,one two\\Nthree",
            "Dialogue: 0,0:00:03.00,0:00:07.00,Caption,,0,0,0,,four five\\Nsix seven",
            "Dialogue: 0,0:00:07.00,0:00:10.00,Caption,,0,0,0,,eight\\Nnine ten",
        ], events);
    }

    [Fact]
    public void Uppercase_shows_the_words_in_capitals()
    {
        var events = Dialogues(Write(CaptionMode.Sentence, Landscape, new CaptionStyleRequest(Uppercase: true), Cue(0, "Quiet waves.")));

        Assert.EndsWith(",,QUIET WAVES.", Assert.Single(events));
    }

    [Fact]
    public void Karaoke_has_one_event_per_word_from_its_start_showing_the_page_with_that_word_highlighted()
    {
        var events = Dialogues(Write(CaptionMode.Karaoke, Landscape, null, Cue(2, "Red green blue")));

        Assert.Equal(
        [
            "Dialogue: 0,0:00:02.00,0:00:03.00,Caption,,0,0,0,,{\\c&H00D7FF&}Red{\\c&HFFFFFF&} green blue",
            "Dialogue: 0,0:00:03.00,0:00:04.00,Caption,,0,0,0,,Red {\\c&H00D7FF&}green{\\c&HFFFFFF&} blue",
            "Dialogue: 0,0:00:04.00,0:00:05.00,Caption,,0,0,0,,Red green {\\c&H00D7FF&}blue{\\c&HFFFFFF&}",
        ], events);
    }

    [Fact]
    public void Word_mode_shows_one_word_at_a_time_each_from_its_start_until_the_next()
    {
        var events = Dialogues(Write(CaptionMode.Word, Landscape, null, Cue(0, "Red green — blue")));

        Assert.Equal(
        [
            "Dialogue: 0,0:00:00.00,0:00:01.00,Caption,,0,0,0,,Red",
            "Dialogue: 0,0:00:01.00,0:00:02.00,Caption,,0,0,0,,green —",
            "Dialogue: 0,0:00:02.00,0:00:03.00,Caption,,0,0,0,,blue",
        ], events);
    }

    [Theory]
    [InlineData(CaptionPosition.Top, 8, 60)]
    [InlineData(CaptionPosition.Center, 5, 60)]
    [InlineData(CaptionPosition.Bottom, 2, 60)]
    public void Position_chooses_the_alignment_and_margin_the_vertical_distance_from_the_edge(CaptionPosition position, int alignment, int margin)
    {
        var ass = Write(CaptionMode.Sentence, Landscape, new CaptionStyleRequest(Position: position));

        Assert.Contains($",0,{alignment},106,106,{margin},1\n", ass);
    }

    [Fact]
    public void A_box_is_border_style_3_filled_with_the_box_colour_and_padded_by_the_outline()
    {
        CaptionColour.TryParse("#10203080", out var box);
        var ass = Write(CaptionMode.Sentence, Landscape, new CaptionStyleRequest(Box: true, BoxColour: box, Outline: 12, Font: "Noto Sans", Size: 70,
            PrimaryColour: CaptionColour.Black));

        Assert.Contains("\nStyle: Caption,Noto Sans,70,&H00000000,&H00000000,&H7F302010,&H7F302010,-1,0,0,0,100,100,0,0,3,12,0,2,106,106,60,1\n", ass);
    }

    [Fact]
    public void Braces_and_backslashes_in_the_script_are_shown_not_read_as_override_codes()
    {
        var events = Dialogues(Write(CaptionMode.Sentence, Landscape, null, Cue(0, @"{\an8}moved? \N")));

        Assert.EndsWith(",,\\{\\\u200Ban8\\}moved? \\\u200BN", Assert.Single(events));
    }

    [Theory]
    [InlineData(0.0, "0:00:00.00")]
    [InlineData(3661.257, "1:01:01.26")]
    [InlineData(59.996, "0:01:00.00")]
    [InlineData(-1, "0:00:00.00")]
    public void A_timestamp_is_hours_minutes_seconds_and_centiseconds(double seconds, string expected) =>
        Assert.Equal(expected, AssWriter.Timestamp(seconds));
}
