using System.Text.Json;
using VideoAkka.Pipeline.Jobs;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class JobRequestParserSpecs
{
    private const string DefaultRunId = "job-default";

    private static JobRequestParseResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JobRequestParser.Parse(document.RootElement, DefaultRunId);
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    private static JobRequest Accepted(string json)
    {
        var result = Parse(json);
        Assert.True(result.IsValid, "refused: " + string.Join("; ", result.Errors.Select(e => $"{e.Field} {e.Message}")));
        return result.Request!;
    }

    /// <summary>The request is refused, and exactly the one field named is blamed.</summary>
    private static void RefusedFor(string json, string field)
    {
        var result = Parse(json);
        Assert.False(result.IsValid);
        Assert.Null(result.Request);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    private static string WithOptions(string options) => $$"""{"script": "Hello.", "prompts": ["a cat"], "options": {{options}}}""";

    private static string WithRunId(string runIdJson) => $$"""{"script": "Hello.", "prompts": ["a cat"], "run_id": {{runIdJson}}}""";

    private static string WithScene(string sceneJson) => $$"""{"script": "Hello.", "prompts": [{{sceneJson}}]}""";

    [Fact]
    public void A_minimal_request_with_string_prompts_is_accepted_as_given()
    {
        var request = Accepted("""{"script": "Once upon a time.", "prompts": ["a cat", "a dog"]}""");

        Assert.Equal("Once upon a time.", request.Script);
        Assert.Equal([new ScenePrompt("a cat"), new ScenePrompt("a dog")], request.Prompts.ToArray());
    }

    [Fact]
    public void Object_prompts_carry_their_image_video_and_duration()
    {
        var request = Accepted("""
            {"script": "Hi.", "prompts": [
              {"image": "a red barn", "video": "slow pan left", "duration": 2.5},
              {"image": "a field"}
            ]}
            """);

        Assert.Equal([new ScenePrompt("a red barn", "slow pan left", 2.5), new ScenePrompt("a field", null, null)], request.Prompts.ToArray());
    }

    [Fact]
    public void A_request_without_options_gets_portrait_aspect_and_a_voiceover()
    {
        var request = Accepted("""{"script": "Hi.", "prompts": ["a cat"]}""");

        Assert.Equal(AspectRatio.Portrait, request.Options.Aspect);
        Assert.True(request.Options.Voiceover);
        Assert.Null(request.Options.Fps);
        Assert.Null(request.Options.Voice);
    }

    [Fact]
    public void A_request_without_run_id_gets_the_default_run_id()
    {
        var request = Accepted("""{"script": "Hi.", "prompts": ["a cat"]}""");

        Assert.Equal(DefaultRunId, request.RunId);
    }

    [Fact]
    public void A_valid_run_id_and_options_are_taken_as_given()
    {
        var request = Accepted("""
            {"script": "Hi.", "prompts": ["a cat"], "run_id": "My_run-1.v2",
             "options": {"aspect": "16:9", "fps": 24, "voice": "en-us", "voiceover": false}}
            """);

        Assert.Equal("My_run-1.v2", request.RunId);
        Assert.Equal(new JobOptions(AspectRatio.Landscape, 24, VoiceChoice.EspeakVoice("en-us"), false), request.Options);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"a script\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void A_body_that_is_not_an_object_is_refused(string body) => RefusedFor(body, "$");

    [Fact]
    public void A_missing_script_is_refused() => RefusedFor("""{"prompts": ["a cat"]}""", "script");

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \\n\\t \"")]
    public void An_empty_or_whitespace_script_is_refused(string script) =>
        RefusedFor($$"""{"script": {{script}}, "prompts": ["a cat"]}""", "script");

    [Theory]
    [InlineData("42")]
    [InlineData("[\"Hello.\"]")]
    [InlineData("{\"text\": \"Hello.\"}")]
    [InlineData("true")]
    public void A_script_that_is_not_a_string_is_refused(string script) =>
        RefusedFor($$"""{"script": {{script}}, "prompts": ["a cat"]}""", "script");

    [Fact]
    public void Missing_prompts_are_refused() => RefusedFor("""{"script": "Hello."}""", "prompts");

    [Fact]
    public void An_empty_prompt_list_is_refused() => RefusedFor("""{"script": "Hello.", "prompts": []}""", "prompts");

    [Theory]
    [InlineData("\"a cat\"")]
    [InlineData("{\"image\": \"a cat\"}")]
    [InlineData("3")]
    public void Prompts_that_are_not_a_list_are_refused(string prompts) =>
        RefusedFor($$"""{"script": "Hello.", "prompts": {{prompts}}}""", "prompts");

    [Fact]
    public void A_prompt_that_is_a_number_is_refused_naming_its_index() =>
        RefusedFor("""{"script": "Hello.", "prompts": ["a cat", 7]}""", "prompts[1]");

    [Theory]
    [InlineData("{\"video\": \"pan\"}")]
    [InlineData("{\"image\": 5}")]
    [InlineData("{\"image\": null}")]
    public void An_object_prompt_without_a_string_image_is_refused(string scene) =>
        RefusedFor(WithScene(scene), "prompts[0].image");

    [Fact]
    public void A_blank_string_prompt_is_refused() => RefusedFor(WithScene("\"  \""), "prompts[0]");

    [Fact]
    public void Exactly_100_prompts_are_accepted()
    {
        var prompts = string.Join(',', Enumerable.Range(0, 100).Select(i => Quote($"scene {i}")));

        var request = Accepted($$"""{"script": "Hello.", "prompts": [{{prompts}}]}""");

        Assert.Equal(100, request.Prompts.Length);
    }

    [Fact]
    public void More_than_100_prompts_are_refused()
    {
        var prompts = string.Join(',', Enumerable.Range(0, 101).Select(i => Quote($"scene {i}")));

        RefusedFor($$"""{"script": "Hello.", "prompts": [{{prompts}}]}""", "prompts");
    }

    [Fact]
    public void A_prompt_of_4000_characters_is_accepted()
    {
        var request = Accepted(WithScene(Quote(new string('a', 4000))));

        Assert.Equal(4000, request.Prompts[0].Image.Length);
    }

    [Fact]
    public void A_prompt_over_4000_characters_is_refused() =>
        RefusedFor(WithScene(Quote(new string('a', 4001))), "prompts[0]");

    [Fact]
    public void An_object_prompt_image_over_4000_characters_is_refused() =>
        RefusedFor(WithScene($$"""{"image": {{Quote(new string('a', 4001))}}}"""), "prompts[0].image");

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("60.5")]
    [InlineData("1000")]
    public void A_duration_outside_0_to_60_seconds_is_refused(string duration) =>
        RefusedFor(WithScene($$"""{"image": "a cat", "duration": {{duration}}}"""), "prompts[0].duration");

    [Fact]
    public void A_duration_of_exactly_60_seconds_is_accepted()
    {
        var request = Accepted(WithScene("""{"image": "a cat", "duration": 60}"""));

        Assert.Equal(60.0, request.Prompts[0].Duration);
    }

    [Theory]
    [InlineData("\"5\"")]
    [InlineData("true")]
    [InlineData("[5]")]
    public void A_duration_that_is_not_a_number_is_refused(string duration) =>
        RefusedFor(WithScene($$"""{"image": "a cat", "duration": {{duration}}}"""), "prompts[0].duration");

    [Theory]
    [InlineData("../etc")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-x")]
    [InlineData("/etc")]
    [InlineData("a b")]
    public void A_run_id_that_is_not_a_plain_folder_name_is_refused(string runId) =>
        RefusedFor(WithRunId(Quote(runId)), "run_id");

    [Fact]
    public void A_run_id_with_a_trailing_newline_is_refused() =>
        RefusedFor(WithRunId(Quote("abc\n")), "run_id");

    [Theory]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("{}")]
    public void A_run_id_that_is_not_a_string_is_refused(string runId) =>
        RefusedFor(WithRunId(runId), "run_id");

    [Fact]
    public void A_run_id_of_128_characters_is_accepted()
    {
        var runId = new string('r', 128);

        Assert.Equal(runId, Accepted(WithRunId(Quote(runId))).RunId);
    }

    [Fact]
    public void A_run_id_of_129_characters_is_refused() =>
        RefusedFor(WithRunId(Quote(new string('r', 129))), "run_id");

    [Theory]
    [InlineData("\"4:3\"")]
    [InlineData("\"9/16\"")]
    [InlineData("\"portrait\"")]
    [InlineData("916")]
    public void An_unknown_aspect_is_refused(string aspect) =>
        RefusedFor(WithOptions($$"""{"aspect": {{aspect}}}"""), "options.aspect");

    [Theory]
    [InlineData("\"1:1\"", AspectRatio.Square)]
    [InlineData("\"16:9\"", AspectRatio.Landscape)]
    [InlineData("\"9:16\"", AspectRatio.Portrait)]
    public void Each_known_aspect_is_accepted(string aspect, AspectRatio expected) =>
        Assert.Equal(expected, Accepted(WithOptions($$"""{"aspect": {{aspect}}}""")).Options.Aspect);

    [Theory]
    [InlineData("0")]
    [InlineData("61")]
    [InlineData("2.5")]
    [InlineData("-30")]
    [InlineData("\"30\"")]
    public void An_fps_that_is_not_a_whole_number_from_1_to_60_is_refused(string fps) =>
        RefusedFor(WithOptions($$"""{"fps": {{fps}}}"""), "options.fps");

    [Theory]
    [InlineData(1)]
    [InlineData(60)]
    public void An_fps_at_the_bounds_is_accepted(int fps) =>
        Assert.Equal(fps, Accepted(WithOptions($$"""{"fps": {{fps}}}""")).Options.Fps);

    [Theory]
    [InlineData("en; rm -rf /")]
    [InlineData("-en")]
    [InlineData("en us")]
    [InlineData("$(id)")]
    public void A_voice_that_is_not_an_espeak_voice_name_is_refused(string voice) =>
        RefusedFor(WithOptions($$"""{"voice": {{Quote(voice)}}}"""), "options.voice");

    [Fact]
    public void A_voice_with_a_trailing_newline_is_refused() =>
        RefusedFor(WithOptions($$"""{"voice": {{Quote("en\n")}}}"""), "options.voice");

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    [InlineData("\"true\"")]
    public void A_voiceover_flag_that_is_not_a_boolean_is_refused(string voiceover) =>
        RefusedFor(WithOptions($$"""{"voiceover": {{voiceover}}}"""), "options.voiceover");

    [Fact]
    public void Options_that_are_not_an_object_are_refused() =>
        RefusedFor(WithOptions("\"fast\""), "options");

    [Fact]
    public void Several_errors_are_all_reported_at_once()
    {
        var result = Parse("""
            {"script": "", "prompts": ["ok", 5, {"image": "x", "duration": 0}], "run_id": "../etc",
             "options": {"aspect": "4:3", "fps": 0, "voice": "en; rm -rf /", "voiceover": "yes"}}
            """);

        Assert.False(result.IsValid);
        Assert.Equal(
            ["options.aspect", "options.fps", "options.voice", "options.voiceover", "prompts[1]", "prompts[2].duration", "run_id", "script"],
            result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("""{"script": "Hello.", "prompts": ["a", {"image": "b", "note": ["x", {"deep": "\udc00"}]}]}""", "$.prompts[1].note[1].deep")]
    [InlineData("""{"script": "Hello.", "prompts": ["a"], "options": {"x\ud800": 1}}""", "$.options")]
    [InlineData("""{"script": "Hello.", "prompts": ["a", "b", "\ud800\ud800"]}""", "$.prompts[2]")]
    public void A_string_that_is_not_valid_Unicode_is_refused_naming_where_it_is(string json, string where) =>
        RefusedFor(json, where);

    [Fact]
    public void Escaped_pairs_and_plain_non_ASCII_text_are_valid_Unicode() =>
        Accepted("""{"script": "Caf\u00e9 \ud83c\udfac. Ça va, 東京?", "prompts": ["a \u2603 in the snow"]}""");

    [Theory]
    [InlineData("script")]
    [InlineData("caption")]
    public void Control_characters_other_than_tab_and_line_breaks_are_refused_in_text(string field)
    {
        RefusedFor($$"""{"script": "Hello.", "prompts": ["a"], "{{field}}": "Hello\u0007 there."}""", field);
        RefusedFor($$"""{"script": "Hello.", "prompts": ["a"], "{{field}}": "Hello\u007f there."}""", field);
        Accepted($$"""{"script": "Hello.", "prompts": ["a"], "{{field}}": "Hello\tthere.\r\nAgain."}""");
    }

    [Fact]
    public void A_control_character_in_a_scene_prompt_is_refused_naming_the_scene() =>
        RefusedFor("""{"script": "Hello.", "prompts": ["a", {"image": "b\u0000"}]}""", "prompts[1].image");
}
