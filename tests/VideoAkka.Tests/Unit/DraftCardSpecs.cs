using VideoAkka.Pipeline.Generation;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class DraftCardSpecs
{
    private static string Dialogue(string ass) => ass.Split('\n').Single(l => l.StartsWith("Dialogue:", StringComparison.Ordinal));

    private static string[] Style(string ass) => ass.Split('\n').Single(l => l.StartsWith("Style: Card,", StringComparison.Ordinal))["Style: ".Length..].Split(',');

    [Theory]
    [InlineData("海边的灯塔", "Noto Sans CJK SC")]
    [InlineData("うみの とうだい", "Noto Sans CJK JP")]
    [InlineData("海の灯台", "Noto Sans CJK JP")]
    [InlineData("바다의 등대", "Noto Sans CJK KR")]
    [InlineData("منارة على البحر", "Noto Sans Arabic")]
    [InlineData("מגדלור ליד הים", "Noto Sans Hebrew")]
    [InlineData("समुद्र के किनारे दीपघर", "Noto Sans Devanagari")]
    [InlineData("ประภาคารริมทะเล", "Noto Sans Thai")]
    [InlineData("Маяк на берегу моря", "Noto Sans")]
    [InlineData("A lighthouse by the sea", "Noto Sans")]
    [InlineData("一座 lighthouse 在海边的灯塔", "Noto Sans CJK SC")]
    public void A_card_names_the_noto_family_of_its_texts_main_script(string prompt, string family) =>
        Assert.Equal(family, Style(DraftCard.Ass(DraftTextLayout.Fit(prompt, 540, 960), 540, 960))[1]);

    [Fact]
    public void An_arabic_card_is_sized_up_so_its_letters_match_the_em_of_the_other_scripts()
    {
        var layout = DraftTextLayout.Fit("منارة على البحر", 540, 960);

        Assert.Equal((int)Math.Round(layout.FontSize * 2.112 / 1.362), int.Parse(Style(DraftCard.Ass(layout, 540, 960))[2]));
    }

    [Fact]
    public void A_latin_card_keeps_the_layouts_font_size()
    {
        var layout = DraftTextLayout.Fit("A lighthouse by the sea", 540, 960);

        Assert.Equal(layout.FontSize, int.Parse(Style(DraftCard.Ass(layout, 540, 960))[2]));
    }

    [Fact]
    public void A_card_lets_libass_find_the_base_direction_of_right_to_left_text() =>
        Assert.Equal("-1", Style(DraftCard.Ass(DraftTextLayout.Fit("منارة على البحر.", 540, 960), 540, 960))[^1]);

    [Fact]
    public void Override_codes_in_a_prompt_are_drawn_as_text_not_obeyed()
    {
        var dialogue = Dialogue(DraftCard.Ass(DraftTextLayout.Fit("{\\pos(0,0)\\fs200}big", 540, 960), 540, 960));

        Assert.EndsWith(",,\\{\\\u200Bpos(0,0)\\\u200Bfs200\\}big", dialogue);
    }

    [Fact]
    public void The_layouts_lines_become_ass_hard_breaks_on_one_dialogue_line()
    {
        var layout = DraftTextLayout.Fit(string.Join(' ', Enumerable.Repeat("lighthouse", 20)), 540, 960);

        var dialogue = Dialogue(DraftCard.Ass(layout, 540, 960));

        Assert.Equal(layout.Text.Split('\n').Length - 1, dialogue.Split("\\N").Length - 1);
        Assert.True(layout.Text.Contains('\n'));
    }

    [Fact]
    public void The_card_is_drawn_at_the_frames_own_resolution()
    {
        var ass = DraftCard.Ass(DraftTextLayout.Fit("a cat", 540, 960), 540, 960);

        Assert.Contains("PlayResX: 540\n", ass);
        Assert.Contains("PlayResY: 960\n", ass);
    }
}
