using VideoAkka.Pipeline.Generation;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class DraftTextLayoutSpecs
{
    private static readonly string LongPrompt = string.Join(' ', Enumerable.Repeat("a lighthouse keeper watches the storm roll in", 100))[..4000];

    /// <summary>The wrap width the layout used for its font size (the same formula as the layout's).</summary>
    private static int Columns(int width, int fontSize) => Math.Max(8, (int)(0.9 * width / (0.55 * fontSize)));

    private static string[] Lines(DraftTextLayout layout) => layout.Text.Split('\n');

    [Theory]
    [InlineData(1080, 1920, 68)]
    [InlineData(1920, 1080, 120)]
    [InlineData(1080, 1080, 68)]
    public void A_short_prompt_keeps_a_font_size_of_a_sixteenth_of_the_width(int width, int height, int fontSize)
    {
        var layout = DraftTextLayout.Fit("a cat on a mat", width, height);

        Assert.Equal(fontSize, layout.FontSize);
        Assert.Equal("a cat on a mat", layout.Text);
    }

    [Fact]
    public void A_4000_character_prompt_fits_in_90_percent_of_a_1080x1920_frame()
    {
        var layout = DraftTextLayout.Fit(LongPrompt, 1080, 1920);

        Assert.True(Lines(layout).Length * 1.25 * layout.FontSize <= 0.9 * 1920,
            $"{Lines(layout).Length} lines at {layout.FontSize}px overflow");
    }

    [Fact]
    public void A_4000_character_prompt_is_shown_whole_at_1080x1920()
    {
        var layout = DraftTextLayout.Fit(LongPrompt, 1080, 1920);

        Assert.Equal(LongPrompt, layout.Text.Replace('\n', ' '));
    }

    [Fact]
    public void A_long_prompt_makes_the_font_smaller()
    {
        var layout = DraftTextLayout.Fit(LongPrompt, 1080, 1920);

        Assert.InRange(layout.FontSize, 6, 67);
    }

    [Fact]
    public void A_long_prompt_at_180x320_is_cut_short_with_an_ellipsis()
    {
        var layout = DraftTextLayout.Fit(LongPrompt, 180, 320);

        Assert.EndsWith("…", layout.Text);
        Assert.StartsWith(layout.Text[..^1].Replace('\n', ' '), LongPrompt);
    }

    [Fact]
    public void A_long_prompt_at_180x320_still_fits_in_90_percent_of_the_frame()
    {
        var layout = DraftTextLayout.Fit(LongPrompt, 180, 320);

        Assert.True(Lines(layout).Length * 1.25 * layout.FontSize <= 0.9 * 320,
            $"{Lines(layout).Length} lines at {layout.FontSize}px overflow");
    }

    [Theory]
    [InlineData(1080, 1920)]
    [InlineData(180, 320)]
    [InlineData(1920, 1080)]
    public void No_line_is_longer_than_the_columns_for_the_chosen_font_size(int width, int height)
    {
        var prompt = LongPrompt + " " + new string('w', 500) + " tail";

        var layout = DraftTextLayout.Fit(prompt, width, height);

        var columns = Columns(width, layout.FontSize);
        Assert.All(Lines(layout), line => Assert.InRange(line.Length, 1, columns));
    }

    [Fact]
    public void Newlines_tabs_and_control_characters_are_flattened_to_spaces()
    {
        var layout = DraftTextLayout.Fit("a\ncat\r\non\ta\u0007mat\u0000now", 1080, 1920);

        Assert.Equal("a cat on a mat now", layout.Text);
    }

    [Fact]
    public void Surrounding_whitespace_is_dropped() =>
        Assert.Equal("a cat", DraftTextLayout.Fit("  \n a   cat \t ", 1080, 1920).Text);
}
