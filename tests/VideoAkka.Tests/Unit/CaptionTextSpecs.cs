using VideoAkka.Pipeline.Media.Captions;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class CaptionTextSpecs
{
    [Theory]
    [InlineData("This is **bold** and _quiet_ and `code`.", "This is bold and quiet and code.")]
    [InlineData("# Title\n> quoted\n- item", "Title\nquoted\nitem")]
    [InlineData("Read [the docs](https://example.com/a) now.", "Read the docs now.")]
    [InlineData("Launch 🚀 day ✨! Family 👨‍👩‍👧 and 👍🏽 ok", "Launch  day ! Family  and  ok")]
    [InlineData("snake_case stays, 20°C and © too", "snake_case stays, 20°C and © too")]
    public void Markdown_markers_and_emoji_are_taken_out_before_speaking_and_captioning(string script, string expected) =>
        Assert.Equal(expected, CaptionText.Speakable(script));

    [Fact]
    public void Words_are_split_at_spaces_and_a_token_without_letters_stays_with_the_word_before_it() =>
        Assert.Equal(["Wait —", "now,", "3.5", "times."], CaptionText.Words("  Wait — now, 3.5   times. ").ToArray());

    [Fact]
    public void Unspaced_scripts_are_cut_into_tokens_joined_by_nothing_and_the_last_one_by_the_space_that_followed()
    {
        // "好。" stays one token (no line starts with 。); "Akka" and "ok" keep their spaces.
        var tokens = CaptionText.Tokens("Akka 很好。 ok");

        Assert.Equal(
            [new CaptionToken("Akka", true), new CaptionToken("很", false), new CaptionToken("好。", true), new CaptionToken("ok", true)],
            tokens.ToArray());
    }

    [Fact]
    public void Thai_is_cut_into_dictionary_words_joined_by_nothing()
    {
        var tokens = CaptionText.Tokens("มองพายุ ทะเล");

        Assert.Equal([new CaptionToken("มอง", false), new CaptionToken("พายุ", true), new CaptionToken("ทะเล", true)], tokens.ToArray());
    }

    [Fact]
    public void Measured_word_lengths_are_scaled_into_the_real_piece_with_its_lead_and_tail()
    {
        // Measured: 0.1 s of lead, words of 0.2 and 0.6 s, 0.1 s of tail: 1 s, spoken for real in 2 s from t = 10.
        var words = WordTiming.FromWeights(["a", "b"], [0.2, 0.6], 0.1, 0.1, 10, 2);

        Assert.Equal([new TimedWord(10.2, 10.6, "a"), new TimedWord(10.6, 11.8, "b")],
            words.Select(w => w with { Start = Math.Round(w.Start, 6), End = Math.Round(w.End, 6) }));
    }

    [Theory]
    [InlineData("#FFD700", "&H0000D7FF")]
    [InlineData("#000000A0", "&H5F000000")]
    [InlineData("#ffffff00", "&HFFFFFFFF")]
    public void A_colour_is_written_as_ass_alpha_blue_green_red_where_alpha_is_transparency(string colour, string ass)
    {
        Assert.True(CaptionColour.TryParse(colour, out var parsed));
        Assert.Equal(ass, parsed.ToAss());
    }

    [Theory]
    [InlineData("red")]
    [InlineData("#FFF")]
    [InlineData("#GGGGGG")]
    [InlineData("#FFFFFF\n")]
    public void Anything_but_hex_rgb_or_rgba_is_not_a_colour(string text) => Assert.False(CaptionColour.TryParse(text, out _));
}
