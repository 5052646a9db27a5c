using VideoAkka.Pipeline.Media;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class SrtWriterSpecs
{
    [Theory]
    [InlineData(0.0, "00:00:00,000")]
    [InlineData(3661.5, "01:01:01,500")]
    [InlineData(59.9996, "00:01:00,000")]
    [InlineData(2.0004, "00:00:02,000")]
    [InlineData(-3.0, "00:00:00,000")]
    [InlineData(100 * 3600.0, "100:00:00,000")]
    public void A_timestamp_is_hours_minutes_seconds_and_milliseconds(double seconds, string expected) =>
        Assert.Equal(expected, SrtWriter.Timestamp(seconds));

    [Fact]
    public void Cues_are_numbered_from_one_with_their_time_range_and_a_blank_line_after_each()
    {
        var srt = SrtWriter.Write([new SubtitleCue(0, 1.25, "Hello."), new SubtitleCue(1.25, 3, "World.")]);

        Assert.Equal("1\n00:00:00,000 --> 00:00:01,250\nHello.\n\n2\n00:00:01,250 --> 00:00:03,000\nWorld.\n\n", srt);
    }

    [Fact]
    public void No_cues_give_an_empty_file() => Assert.Equal("", SrtWriter.Write([]));

    [Fact]
    public void A_text_of_42_characters_stays_on_one_line()
    {
        var text = new string('a', 20) + " " + new string('b', 21);

        Assert.Equal(text, SrtWriter.Wrap(text));
    }

    [Fact]
    public void A_longer_text_is_wrapped_at_the_space_nearest_the_middle() =>
        Assert.Equal(
            "The quick brown fox jumps over\nthe lazy dog again and again",
            SrtWriter.Wrap("The quick brown fox jumps over the lazy dog again and again"));

    [Fact]
    public void A_long_cue_is_written_as_two_lines()
    {
        var srt = SrtWriter.Write([new SubtitleCue(0, 1, "The quick brown fox jumps over the lazy dog again and again")]);

        Assert.Contains("\nThe quick brown fox jumps over\nthe lazy dog again and again\n\n", srt);
    }

    [Fact]
    public void A_word_longer_than_a_line_is_cut_at_42_columns_rather_than_drawn_past_the_edge() =>
        Assert.Equal(new string('x', 42) + "\n" + new string('x', 18), SrtWriter.Wrap(new string('x', 60)));

    [Fact]
    public void Chinese_is_wrapped_between_characters_at_21_characters_a_line()
    {
        var text = "灯塔守护者看着暴风雨从海上慢慢来临他点亮了灯然后坐下来等待天亮";

        var lines = SrtWriter.Wrap(text).Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.InRange(l.Length, 1, 21));
    }

    [Fact]
    public void An_override_block_is_made_literal_by_escaping_its_braces() =>
        Assert.Equal("\\{\\\u200Ban8\\}Up here", SrtWriter.Neutralize("{\\an8}Up here"));

    [Fact]
    public void A_hard_line_break_code_is_made_literal_with_a_zero_width_space() =>
        Assert.Equal("one\\\u200BNtwo", SrtWriter.Neutralize("one\\Ntwo"));

    [Fact]
    public void An_html_tag_is_made_literal_with_a_zero_width_space() =>
        Assert.Equal("<\u200Bi>slanted<\u200B/i>", SrtWriter.Neutralize("<i>slanted</i>"));

    [Fact]
    public void Plain_text_is_not_changed_by_neutralizing() =>
        Assert.Equal("Hello, world! 3 > 2.", SrtWriter.Neutralize("Hello, world! 3 > 2."));

    [Fact]
    public void Written_cues_carry_neutralized_text()
    {
        var srt = SrtWriter.Write([new SubtitleCue(0, 1, "{\\an8}<b>x</b>")]);

        Assert.Contains("\\{\\\u200Ban8\\}<\u200Bb>x<\u200B/b>", srt);
    }
}
