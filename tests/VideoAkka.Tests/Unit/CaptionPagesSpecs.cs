using VideoAkka.Pipeline.Media.Captions;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class CaptionPagesSpecs
{
    private static string[][] Render(string text, int maxChars, int maxLines)
    {
        var words = text.Split(' ');
        return [.. CaptionPages.Pages([.. words.Select(w => new CaptionToken(w, SpaceAfter: true))], maxChars, maxLines).Select(page => page.Select(line => string.Join(' ', line.Select(i => words[i]))).ToArray())];
    }

    [Fact]
    public void Text_that_fits_one_line_is_one_page_of_one_line() =>
        Assert.Equal([["short and sweet"]], Render("short and sweet", 20, 2));

    [Fact]
    public void No_line_is_longer_than_max_chars_and_no_page_has_more_than_max_lines()
    {
        var pages = Render("The quick brown fox jumps over the lazy dog while the keeper of the lighthouse watches the waves", 22, 2);

        Assert.All(pages, page => Assert.InRange(page.Length, 1, 2));
        Assert.All(pages.SelectMany(p => p), line => Assert.True(line.Length <= 22, $"\"{line}\" is {line.Length} characters"));
        Assert.Equal("The quick brown fox jumps over the lazy dog while the keeper of the lighthouse watches the waves", string.Join(' ', pages.SelectMany(p => p)));
    }

    [Fact]
    public void Two_lines_are_balanced_rather_than_leaving_one_word_alone() =>
        Assert.Equal([["The quick brown", "fox jumps over"]], Render("The quick brown fox jumps over", 20, 2));

    [Fact]
    public void A_word_longer_than_a_line_gets_a_line_of_its_own() =>
        Assert.Equal([["a", "Donaudampfschifffahrtsgesellschaft"], ["b"]], Render("a Donaudampfschifffahrtsgesellschaft b", 10, 2));
}
