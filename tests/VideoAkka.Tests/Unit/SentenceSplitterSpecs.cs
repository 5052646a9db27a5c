using VideoAkka.Pipeline.Media;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class SentenceSplitterSpecs
{
    [Fact]
    public void A_script_is_split_after_full_stops_exclamation_and_question_marks() =>
        Assert.Equal(
            ["One fish.", "Two fish!", "Red fish?", "Blue fish."],
            SentenceSplitter.Split("One fish. Two fish! Red fish? Blue fish.").ToArray());

    [Fact]
    public void A_newline_ends_a_piece_even_without_punctuation() =>
        Assert.Equal(
            ["First line", "Second line", "Third line"],
            SentenceSplitter.Split("First line\nSecond line\r\nThird line").ToArray());

    [Fact]
    public void A_full_stop_inside_a_word_or_number_does_not_split() =>
        Assert.Equal(["Version 2.5 costs 3.99 dollars."], SentenceSplitter.Split("Version 2.5 costs 3.99 dollars.").ToArray());

    [Fact]
    public void Runs_of_whitespace_and_tabs_collapse_to_single_spaces() =>
        Assert.Equal(["Hello big world."], SentenceSplitter.Split("  Hello \t  big   world.  ").ToArray());

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("... !!! ???")]
    [InlineData("\n\n - -- \n , ;")]
    public void A_script_without_letters_or_digits_gives_no_pieces(string script) =>
        Assert.Empty(SentenceSplitter.Split(script));

    [Fact]
    public void A_punctuation_only_line_between_sentences_is_dropped() =>
        Assert.Equal(["Hello.", "World."], SentenceSplitter.Split("Hello.\n...\nWorld.").ToArray());

    [Fact]
    public void A_long_sentence_is_cut_at_a_clause_boundary()
    {
        var first = "This opening clause is long enough to pass the halfway mark of a cue,";
        var second = "and this second clause finishes the sentence.";

        var pieces = SentenceSplitter.Split($"{first} {second}");

        Assert.Equal([first, second], pieces.ToArray());
    }

    [Fact]
    public void A_long_sentence_without_clauses_is_cut_between_words()
    {
        var script = string.Join(' ', Enumerable.Repeat("word", 60)) + ".";

        var pieces = SentenceSplitter.Split(script);

        Assert.True(pieces.Length > 1);
        Assert.All(pieces, p => Assert.Matches(@"^word( word)*\.?$", p));
    }

    [Fact]
    public void Every_piece_of_a_long_script_is_at_most_84_characters()
    {
        var script = string.Join(' ', Enumerable.Range(0, 40).Select(i =>
            $"Sentence number {i} rambles on, and on; and then: it keeps going without a stop for a very long while indeed"))
            + " " + new string('x', 300) + ".";

        var pieces = SentenceSplitter.Split(script);

        Assert.All(pieces, p => Assert.InRange(p.Length, 1, SentenceSplitter.MaxCueCharacters));
    }

    [Fact]
    public void Cutting_a_long_sentence_loses_no_words()
    {
        var script = string.Join(", ", Enumerable.Range(0, 50).Select(i => $"item {i}")) + ".";

        var pieces = SentenceSplitter.Split(script);

        Assert.True(pieces.Length > 1);
        Assert.Equal(script, string.Join(' ', pieces));
    }

    [Fact]
    public void A_word_longer_than_a_cue_is_cut_hard_at_84_characters()
    {
        var word = new string('x', 200);

        var pieces = SentenceSplitter.Split(word);

        Assert.Equal([new string('x', 84), new string('x', 84), new string('x', 32)], pieces.ToArray());
    }

    [Fact]
    public void Chinese_and_japanese_sentences_end_at_their_full_stops_without_a_space() =>
        Assert.Equal(
            ["灯塔亮了。", "风暴来了！", "你看见了吗？", "「はい。」", "ありがとう。"],
            SentenceSplitter.Split("灯塔亮了。风暴来了！你看见了吗？「はい。」ありがとう。").ToArray());

    [Fact]
    public void Hindi_sentences_end_at_the_danda() =>
        Assert.Equal(["दीपक जल गया।", "तूफ़ान आ रहा है॥", "अब सो जाओ।"], SentenceSplitter.Split("दीपक जल गया। तूफ़ान आ रहा है॥अब सो जाओ।").ToArray());

    [Fact]
    public void Arabic_sentences_end_at_the_arabic_question_mark_and_the_full_stop() =>
        Assert.Equal(["هل ترى المنارة؟", "نعم أراها."], SentenceSplitter.Split("هل ترى المنارة؟ نعم أراها.").ToArray());

    [Fact]
    public void A_long_chinese_sentence_is_cut_at_a_comma_and_every_piece_fits_84_columns()
    {
        var clause = "灯塔守护者看着暴风雨从海上慢慢来临而且海浪越来越高";
        var script = string.Join("，", Enumerable.Repeat(clause, 4)) + "。";

        var pieces = SentenceSplitter.Split(script);

        Assert.True(pieces.Length > 1);
        Assert.All(pieces, p => Assert.InRange(VideoAkka.Pipeline.Media.Text.DisplayWidth.Of(p), 1, SentenceSplitter.MaxCueCharacters));
        Assert.All(pieces.SkipLast(1), p => Assert.EndsWith("，", p));
        Assert.Equal(script, string.Concat(pieces));
    }
}
