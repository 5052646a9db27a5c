using System.Text.Json;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media.Captions;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class SubtitleOptionsSpecs
{
    private static JobRequestParseResult Parse(string subtitles)
    {
        using var document = JsonDocument.Parse($$$"""{"script": "Hello.", "prompts": ["a cat"], "options": {"subtitles": {{{subtitles}}}}}""");
        return JobRequestParser.Parse(document.RootElement, "run");
    }

    [Fact]
    public void A_request_without_subtitles_gets_sentence_captions_in_the_default_style()
    {
        using var document = JsonDocument.Parse("""{"script": "Hello.", "prompts": ["a cat"]}""");

        Assert.Equal(CaptionOptions.Default, JobRequestParser.Parse(document.RootElement, "run").Request!.Options.Captions);
    }

    [Fact]
    public void Every_field_of_mode_and_style_is_read()
    {
        var result = Parse("""
            {"mode": "karaoke", "style": {"font": "Noto Sans", "size": 80, "primary_colour": "#FFFFFF", "outline_colour": "#000000",
             "highlight_colour": "#FFD700", "outline": 3.5, "box": true, "box_colour": "#00000080", "position": "top", "margin": 120,
             "uppercase": true, "max_chars": 18, "max_lines": 1}}
            """);

        var captions = result.Request!.Options.Captions;
        Assert.Equal(CaptionMode.Karaoke, captions.Mode);
        Assert.Equal(new CaptionStyleRequest("Noto Sans", 80, CaptionColour.White, CaptionColour.Black, new CaptionColour(255, 215, 0, 255), 3.5, true,
            new CaptionColour(0, 0, 0, 128), CaptionPosition.Top, 120, true, 18, 1), captions.Style);
    }

    [Theory]
    [InlineData("true", "options.subtitles")]
    [InlineData("""{"mode": "scroll"}""", "options.subtitles.mode")]
    [InlineData("""{"mode": 1}""", "options.subtitles.mode")]
    [InlineData("""{"modes": "word"}""", "options.subtitles.modes")]
    [InlineData("""{"style": "bold"}""", "options.subtitles.style")]
    [InlineData("""{"style": {"primary_color": "#FFFFFF"}}""", "options.subtitles.style.primary_color")]
    [InlineData("""{"style": {"font": "Sans,0,&HFF"}}""", "options.subtitles.style.font")]
    [InlineData("""{"style": {"font": ""}}""", "options.subtitles.style.font")]
    [InlineData("""{"style": {"size": 0}}""", "options.subtitles.style.size")]
    [InlineData("""{"style": {"size": 70.5}}""", "options.subtitles.style.size")]
    [InlineData("""{"style": {"size": 100000}}""", "options.subtitles.style.size")]
    [InlineData("""{"style": {"primary_colour": "white"}}""", "options.subtitles.style.primary_colour")]
    [InlineData("""{"style": {"outline_colour": "#12345"}}""", "options.subtitles.style.outline_colour")]
    [InlineData("""{"style": {"highlight_colour": 16777215}}""", "options.subtitles.style.highlight_colour")]
    [InlineData("""{"style": {"box_colour": "#0000008"}}""", "options.subtitles.style.box_colour")]
    [InlineData("""{"style": {"outline": -1}}""", "options.subtitles.style.outline")]
    [InlineData("""{"style": {"outline": 1e300}}""", "options.subtitles.style.outline")]
    [InlineData("""{"style": {"box": "yes"}}""", "options.subtitles.style.box")]
    [InlineData("""{"style": {"position": "left"}}""", "options.subtitles.style.position")]
    [InlineData("""{"style": {"margin": -5}}""", "options.subtitles.style.margin")]
    [InlineData("""{"style": {"uppercase": 1}}""", "options.subtitles.style.uppercase")]
    [InlineData("""{"style": {"max_chars": 3}}""", "options.subtitles.style.max_chars")]
    [InlineData("""{"style": {"max_lines": 3}}""", "options.subtitles.style.max_lines")]
    public void A_bad_value_is_refused_naming_its_field(string subtitles, string field)
    {
        var result = Parse(subtitles);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
