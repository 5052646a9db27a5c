using VideoAkka.Pipeline.Media.Text;
using Xunit;

namespace VideoAkka.Tests.Unit;

/// <summary>Issue 13, every language: caption lines break correctly for every script.</summary>
public class ScriptLineBreakingSpecs
{
    private const string Chinese = "灯塔守护者看着暴风雨从海上慢慢来临，他点亮了灯。";

    [Fact]
    public void Latin_text_breaks_between_words_into_even_lines() =>
        Assert.Equal(
            ["The quick brown fox jumps over", "the lazy dog again and again"],
            CaptionLines.Break("The quick brown fox jumps over the lazy dog again and again", 42, 2).ToArray());

    [Fact]
    public void Text_that_fits_stays_on_one_line() =>
        Assert.Equal(["Hello, world."], CaptionLines.Break("Hello, world.", 42, 2).ToArray());

    [Fact]
    public void A_cjk_character_counts_two_columns() =>
        Assert.Equal((2, 28, 5), (DisplayWidth.Of("灯"), DisplayWidth.Of("こんにちは、世界です。この灯"), DisplayWidth.Of("hello")));

    [Fact]
    public void Combining_marks_take_no_columns() =>
        Assert.Equal(4, DisplayWidth.Of("नमस्ते")); // न म स त; the virama and the vowel sign sit on them

    [Fact]
    public void Chinese_without_spaces_breaks_between_characters_within_the_width()
    {
        var lines = CaptionLines.Break(Chinese, 30, 2);

        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.InRange(DisplayWidth.Of(l), 1, 30));
        Assert.Equal(Chinese, string.Concat(lines));
    }

    [Theory]
    [InlineData("灯塔守护者看着暴风雨。来临了他点亮了灯")]
    [InlineData("灯塔守护者看着暴风雨、来临了他点亮了灯")]
    [InlineData("灯塔守护者看着暴風雨」来临了他点亮了灯")]
    [InlineData("とうだいもりはあらしをみてっちょっとまった")]
    [InlineData("灯塔守护者看着暴风雨ー来临了他点亮了灯")]
    public void No_line_starts_with_closing_punctuation_a_small_kana_or_a_prolonged_sound_mark(string text)
    {
        // Width 20 (10 characters) would put the 11th character first on the second line.
        var lines = CaptionLines.Break(text, 20, 3);

        Assert.True(lines.Length > 1);
        Assert.All(lines.Skip(1), l => Assert.DoesNotContain(l[0], "。、」ーっゃゅょ，"));
        Assert.Equal(text, string.Concat(lines));
    }

    [Theory]
    [InlineData("一二三四五六七八九十。一二三", "一二三四五六七八九|十。一二三")]
    [InlineData("一二三四五六七八九十、一二三", "一二三四五六七八九|十、一二三")]
    [InlineData("一二三四五六七八九十」一二三", "一二三四五六七八九|十」一二三")]
    [InlineData("あいうえおかきくけこっさしす", "あいうえおかきくけ|こっさしす")]
    [InlineData("アイウエオカキクケコーサシス", "アイウエオカキクケ|コーサシス")]
    [InlineData("一二三四五六七八九「十一二", "一二三四五六七八九|「十一二")]
    [InlineData("一二三四五六七八九十一二三", "一二三四五六七八九十|一二三")]
    public void Kinsoku_moves_the_break_so_the_mark_stays_with_its_neighbour(string text, string expected) =>
        // 20 columns hold ten characters: the break would fall right before the 11th (or after the 10th).
        Assert.Equal(expected, string.Join('|', CaptionLines.Fill(text, 20)));

    [Fact]
    public void No_line_ends_with_an_opening_bracket()
    {
        var lines = CaptionLines.Break("灯塔守护者看着暴风雨「来临了他点亮了灯」", 20, 3);

        Assert.All(lines, l => Assert.NotEqual('「', l[^1]));
    }

    [Fact]
    public void Thai_breaks_between_dictionary_words_not_inside_them()
    {
        // ผู้ดูแลประภาคาร / มอง / พายุ ...: ICU's Thai dictionary knows these words.
        const string thai = "ผู้ดูแลประภาคารมองพายุที่กำลังเข้ามาจากทะเลอย่างช้าๆ";
        var words = new[] { "ประภาคาร", "พายุ", "ทะเล" };

        var lines = CaptionLines.Break(thai, 20, 4);

        Assert.True(lines.Length > 1);
        Assert.Equal(thai, string.Concat(lines));
        Assert.All(words, w => Assert.Contains(lines, l => l.Contains(w, StringComparison.Ordinal)));
    }

    [Fact]
    public void Arabic_breaks_between_words_keeping_logical_order_and_its_question_mark_on_its_word()
    {
        const string arabic = "يراقب حارس المنارة العاصفة وهي تقترب من البحر ببطء، فهل سيضيء المنارة؟";

        var lines = CaptionLines.Break(arabic, 40, 2);

        Assert.Equal(2, lines.Length);
        Assert.Equal(arabic, string.Join(' ', lines));
        Assert.EndsWith("المنارة؟", lines[1]);
    }

    [Fact]
    public void Devanagari_never_separates_a_vowel_sign_from_its_letter()
    {
        var word = "नमस्ते";
        var lines = CaptionLines.Break(word + word + word, 4, 9);

        Assert.All(lines, l => Assert.False(char.GetUnicodeCategory(l[0]) == System.Globalization.UnicodeCategory.NonSpacingMark
            || l[0] is '\u093E' or '\u0947' or '\u094D', $"line '{l}' starts with a mark"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void There_are_never_more_lines_than_asked_and_no_text_is_lost(int maxLines)
    {
        var text = string.Join(' ', Enumerable.Repeat("lighthouse keeper", 12));

        var lines = CaptionLines.Break(text, 20, maxLines);

        Assert.InRange(lines.Length, 1, maxLines);
        Assert.Equal(text, string.Join(' ', lines));
    }

    [Fact]
    public void A_word_longer_than_a_line_is_cut_at_the_width() =>
        Assert.Equal([new string('x', 42), new string('x', 18)], CaptionLines.Break(new string('x', 60), 42, 2).ToArray());
}
