using System.Text.Json;
using VideoAkka.Pipeline.Jobs;
using Xunit;

namespace VideoAkka.Tests.Unit;

/// <summary>options.fit, clip_fill, transition and music, and a scene's text, as the request parser reads them.</summary>
public class RenderOptionsSpecs
{
    private static readonly HashSet<string> Library = ["calm", "upbeat-2"];

    private static JobRequestParseResult Parse(string json, bool allowPrivate = false)
    {
        using var document = JsonDocument.Parse(json);
        return JobRequestParser.Parse(document.RootElement, "run-1", allowPrivate, musicNameExists: Library.Contains);
    }

    private static RenderOptions Accepted(string options, bool allowPrivate = false)
    {
        var result = Parse(WithOptions(options), allowPrivate);
        Assert.True(result.IsValid, "refused: " + string.Join("; ", result.Errors.Select(e => $"{e.Field} {e.Message}")));
        return result.Request!.Options.Render;
    }

    private static ValidationError RefusedFor(string options, string field)
    {
        var result = Parse(WithOptions(options));
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        return error;
    }

    private static string WithOptions(string options) => $$"""{"script": "Hello.", "prompts": ["a cat"], "options": {{options}}}""";

    [Fact]
    public void Without_render_options_clips_cover_hold_cut_and_have_no_music() =>
        Assert.Equal(new RenderOptions(FitMode.Cover, ClipFill.Hold, null, null), Accepted("{}"));

    [Fact]
    public void Fit_and_clip_fill_are_read_by_name() =>
        Assert.Equal(new RenderOptions(FitMode.Contain, ClipFill.Loop), Accepted("""{"fit": "contain", "clip_fill": "loop"}"""));

    [Theory]
    [InlineData("""{"fit": "stretch"}""", "options.fit")]
    [InlineData("""{"fit": 1}""", "options.fit")]
    [InlineData("""{"clip_fill": "repeat"}""", "options.clip_fill")]
    [InlineData("""{"transition": "wipe"}""", "options.transition")]
    [InlineData("""{"transition": {"type": "wipe"}}""", "options.transition.type")]
    [InlineData("""{"transition": {"type": "fade", "duration": 0}}""", "options.transition.duration")]
    [InlineData("""{"transition": {"type": "fade", "duration": 10}}""", "options.transition.duration")]
    public void An_unknown_word_or_an_out_of_range_fade_is_refused(string options, string field) => RefusedFor(options, field);

    [Fact]
    public void Fade_alone_is_a_half_second_crossfade() =>
        Assert.Equal(new SceneTransition(0.5), Accepted("""{"transition": "fade"}""").Transition);

    [Fact]
    public void A_fade_can_give_its_duration() =>
        Assert.Equal(new SceneTransition(1.25), Accepted("""{"transition": {"type": "fade", "duration": 1.25}}""").Transition);

    [Fact]
    public void None_is_hard_cuts() => Assert.Null(Accepted("""{"transition": "none"}""").Transition);

    [Fact]
    public void Music_with_an_audio_extension_is_a_file_in_the_run_folder() =>
        Assert.Equal(new MusicChoice(MusicSourceKind.File, "bed.mp3"), Accepted("""{"music": "bed.mp3"}""").Music);

    [Fact]
    public void Music_as_an_https_url_is_fetched() =>
        Assert.Equal(new MusicChoice(MusicSourceKind.Url, "https://example.com/a.mp3?x=1"), Accepted("""{"music": "https://example.com/a.mp3?x=1"}""").Music);

    [Fact]
    public void Music_as_a_known_name_comes_from_the_music_folder() =>
        Assert.Equal(new MusicChoice(MusicSourceKind.Library, "upbeat-2"), Accepted("""{"music": "upbeat-2"}""").Music);

    [Theory]
    [InlineData("../secret.mp3")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/bed.mp3")]
    [InlineData(".hidden.mp3")]
    [InlineData("..")]
    [InlineData("bed.mp3 ")]
    public void Music_that_is_not_a_plain_name_is_refused(string music) =>
        Assert.Contains("plain file name", RefusedFor($$"""{"music": {{JsonSerializer.Serialize(music)}}}""", "options.music").Message);

    [Fact]
    public void A_music_name_not_in_the_music_folder_is_refused() =>
        Assert.Contains("music folder", RefusedFor("""{"music": "jazz"}""", "options.music").Message);

    [Theory]
    [InlineData("http://127.0.0.1/a.mp3")]
    [InlineData("http://localhost/a.mp3")]
    [InlineData("http://10.0.0.7/a.mp3")]
    [InlineData("http://[::1]/a.mp3")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    public void A_music_url_on_a_private_address_is_refused(string url) =>
        Assert.Contains("private", RefusedFor($$"""{"music": "{{url}}"}""", "options.music").Message);

    [Fact]
    public void Music_naming_the_voiceover_the_worker_writes_is_refused() =>
        Assert.Contains("the worker writes", RefusedFor("""{"music": "voiceover.mp3"}""", "options.music").Message);

    [Theory]
    [InlineData("ftp://example.com/a.mp3")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:pw@example.com/a.mp3")]
    public void A_music_url_that_is_not_plain_http_is_refused(string url) => RefusedFor($$"""{"music": "{{url}}"}""", "options.music");

    [Fact]
    public void A_private_music_url_is_accepted_when_private_networks_are_allowed() =>
        Assert.Equal(MusicSourceKind.Url, Accepted("""{"music": "http://127.0.0.1:9/a.mp3"}""", allowPrivate: true).Music!.Kind);

    [Theory]
    [InlineData("""{"music": 3}""")]
    [InlineData("""{"music": ""}""")]
    public void Music_that_is_not_a_string_is_refused(string options) => RefusedFor(options, "options.music");

    [Fact]
    public void A_scene_carries_the_narration_it_illustrates()
    {
        var result = Parse("""{"script": "One. Two.", "prompts": [{"image": "a", "text": "One."}, {"image": "b", "text": "Two."}]}""");

        Assert.Equal(["One.", "Two."], result.Request!.Prompts.Select(p => p.Text));
    }

    [Fact]
    public void A_scene_text_that_is_not_a_string_is_refused()
    {
        var result = Parse("""{"script": "One.", "prompts": [{"image": "a", "text": 5}]}""");

        Assert.Equal("prompts[0].text", Assert.Single(result.Errors).Field);
    }
}
