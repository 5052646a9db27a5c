using System.Collections.Immutable;
using System.Text.RegularExpressions;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Captions;
using VideoAkka.Pipeline.Media.Text;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class AssWriterSpecs
{
    private static readonly VideoFormat Portrait = new(1080, 1920, 30);
    private static readonly VideoFormat Landscape = new(1920, 1080, 30);

    /// <summary>A cue whose tokens last one second each, from <paramref name="start"/>.</summary>
    private static TimedCue Cue(double start, string text)
    {
        var tokens = CaptionText.Tokens(text);
        return new TimedCue(new SubtitleCue(start, start + tokens.Length, text),
            [.. tokens.Select((t, i) => new TimedWord(start + i, start + i + 1, t.Text, t.SpaceAfter))]);
    }

    private static string[] Dialogues(string ass) =>
        [.. ass.Split('\n').Where(l => l.StartsWith("Dialogue: ", StringComparison.Ordinal))];

    /// <summary>The style is chosen for the cues' text, as <see cref="CaptionWriter"/> does.</summary>
    private static string Write(CaptionMode mode, VideoFormat format, CaptionStyleRequest? request = null, params TimedCue[] cues) =>
        AssWriter.Write(cues, CaptionStyle.For(format, request ?? CaptionStyleRequest.None, string.Join('\n', cues.Select(c => c.Cue.Text))), mode);

    /// <summary>The shown lines of every event, in order (override codes taken out).</summary>
    private static string[] Lines(string ass) =>
        [.. Dialogues(ass).SelectMany(d => Regex.Replace(d[(d.IndexOf(",,0,0,0,,", StringComparison.Ordinal) + 9)..], @"\{[^}]*\}", "").Split("\\N"))];

    [Fact]
    public void The_script_declares_the_1080p_frame_of_the_shape_and_one_style_with_the_defaults_for_9_16()
    {
        var ass = Write(CaptionMode.Sentence, new VideoFormat(360, 640, 15));

        Assert.Contains("PlayResX: 1080\nPlayResY: 1920\n", ass);
        Assert.Contains("ScaledBorderAndShadow: yes\n", ass);
        Assert.Contains("\nStyle: Caption,DejaVu Sans,64,&H00FFFFFF,&H00FFFFFF,&H00000000,&H5F000000,-1,0,0,0,100,100,0,0,1,4,0,2,60,60,440,-1\n", ass);
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

        Assert.Contains($",0,{alignment},106,106,{margin},-1\n", ass);
    }

    [Fact]
    public void A_box_is_border_style_3_filled_with_the_box_colour_and_padded_by_the_outline()
    {
        CaptionColour.TryParse("#10203080", out var box);
        var ass = Write(CaptionMode.Sentence, Landscape, new CaptionStyleRequest(Box: true, BoxColour: box, Outline: 12, Font: "Noto Sans", Size: 70,
            PrimaryColour: CaptionColour.Black));

        Assert.Contains("\nStyle: Caption,Noto Sans,70,&H00000000,&H00000000,&H7F302010,&H7F302010,-1,0,0,0,100,100,0,0,3,12,0,2,106,106,60,-1\n", ass);
    }

    [Fact]
    public void Braces_and_backslashes_in_the_script_are_shown_not_read_as_override_codes()
    {
        var events = Dialogues(Write(CaptionMode.Sentence, Landscape, null, Cue(0, @"{\an8}moved? \N")));

        Assert.EndsWith(",,\\{\\\u200Ban8\\}moved? \\\u200BN", Assert.Single(events));
    }

    [Fact]
    public void A_chinese_sentence_is_paged_into_lines_of_at_most_max_chars_columns_without_spaces_between_characters()
    {
        const string chinese = "灯塔守护者看着暴风雨从海上慢慢来临，他点亮了灯。";

        var lines = Lines(Write(CaptionMode.Sentence, Landscape, new CaptionStyleRequest(MaxChars: 20, MaxLines: 2), Cue(0, chinese)));

        Assert.True(lines.Length > 2, "a 48-column sentence in 20-column lines needs more than two lines");
        Assert.All(lines, l => Assert.InRange(DisplayWidth.Of(l), 1, 20));
        Assert.Equal(chinese, string.Concat(lines)); // nothing added between the characters, nothing lost
    }

    [Fact]
    public void A_chinese_line_break_never_puts_a_closing_mark_first_on_a_line()
    {
        // Ten characters fill 20 columns: filling them greedily puts "。" first on the second line, so the break moves
        // before "十" (the two lines are then evened out, at break points that keep "十。" together).
        var lines = Lines(Write(CaptionMode.Sentence, Landscape, new CaptionStyleRequest(MaxChars: 20, MaxLines: 2), Cue(0, "一二三四五六七八九十。一二三")));

        Assert.Equal(["一二三四五六七", "八九十。一二三"], lines);
        Assert.Single(CaptionText.Tokens("一二三四五六七八九十。一二三"), t => t.Text == "十。");
    }

    [Fact]
    public void Kana_written_with_spaces_is_broken_between_its_words_not_inside_one()
    {
        // Evening the two lines out would put the break inside うみを (17 and 16 columns); between words it is 14 and 19.
        var lines = Lines(Write(CaptionMode.Sentence, Portrait, null, Cue(0, "とうだいもりは うみを みています。")));

        Assert.Equal(["とうだいもりは", "うみを みています。"], lines);
    }

    [Fact]
    public void Karaoke_highlights_each_chinese_character_with_no_spaces_around_it()
    {
        var events = Dialogues(Write(CaptionMode.Karaoke, Landscape, null, Cue(0, "你好世界")));

        Assert.Equal(4, events.Length);
        Assert.EndsWith(",,你{\\c&H00D7FF&}好{\\c&HFFFFFF&}世界", events[1]);
    }

    [Fact]
    public void An_arabic_cue_names_noto_sans_arabic_at_its_size_factor_and_lets_libass_find_the_direction()
    {
        var ass = Write(CaptionMode.Sentence, Portrait, null, Cue(0, "يراقب حارس المنارة العاصفة"));

        // 64 x 2.112/1.362 = 99: Noto Sans Arabic's letters as big as Noto Sans's at 64.
        Assert.Contains("\nStyle: Caption,Noto Sans Arabic,99,", ass);
        Assert.Contains(",440,-1\n", ass); // Encoding -1: the line's base direction comes from its text (right to left)
    }

    [Fact]
    public void A_font_the_request_names_is_used_as_asked_whatever_the_script()
    {
        var ass = Write(CaptionMode.Sentence, Portrait, new CaptionStyleRequest(Font: "DejaVu Sans"), Cue(0, "يراقب حارس المنارة العاصفة"));

        Assert.Contains("\nStyle: Caption,DejaVu Sans,64,", ass);
    }

    [Theory]
    [InlineData("灯塔守护者看着暴风雨", "Noto Sans CJK SC")]
    [InlineData("とうだいもりは灯をともした", "Noto Sans CJK JP")]
    [InlineData("प्रकाशस्तंभ का रखवाला", "Noto Sans Devanagari")]
    [InlineData("The keeper lit the lamp", "DejaVu Sans")]
    public void The_default_font_is_the_noto_family_of_the_captions_script(string text, string family) =>
        Assert.Contains($"\nStyle: Caption,{family},64,", Write(CaptionMode.Sentence, Portrait, null, Cue(0, text)));

    [Fact]
    public void A_thai_sentence_breaks_at_dictionary_words_not_inside_them()
    {
        const string thai = "ผู้ดูแลประภาคารมองพายุที่กำลังเข้ามาจากทะเลอย่างช้าๆ";

        var lines = Lines(Write(CaptionMode.Sentence, Landscape, new CaptionStyleRequest(MaxChars: 20, MaxLines: 2), Cue(0, thai)));

        Assert.True(lines.Length > 1);
        Assert.Equal(thai, string.Concat(lines));
        Assert.All(new[] { "ประภาคาร", "พายุ", "ทะเล" }, w => Assert.Contains(lines, l => l.Contains(w, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0.0, "0:00:00.00")]
    [InlineData(3661.257, "1:01:01.26")]
    [InlineData(59.996, "0:01:00.00")]
    [InlineData(-1, "0:00:00.00")]
    public void A_timestamp_is_hours_minutes_seconds_and_centiseconds(double seconds, string expected) =>
        Assert.Equal(expected, AssWriter.Timestamp(seconds));
}
