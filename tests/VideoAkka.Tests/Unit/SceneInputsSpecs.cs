using System.Text.Json;
using VideoAkka.Pipeline.Jobs;
using Xunit;

namespace VideoAkka.Tests.Unit;

/// <summary>The scene fields a request may add "if needed" (image_url, image_file, motion, seed) and their job-wide
/// defaults in options: each is hostile input, a URL the worker fetches or a name it opens in the run's folder.</summary>
public class SceneInputsSpecs
{
    private const string DefaultRunId = "job-default";

    private static JobRequestParseResult Parse(string json, bool allowPrivateImageUrls = false)
    {
        using var document = JsonDocument.Parse(json);
        return JobRequestParser.Parse(document.RootElement, DefaultRunId, allowPrivateImageUrls);
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    private static JobRequest Accepted(string json, bool allowPrivateImageUrls = false)
    {
        var result = Parse(json, allowPrivateImageUrls);
        Assert.True(result.IsValid, "refused: " + string.Join("; ", result.Errors.Select(e => $"{e.Field} {e.Message}")));
        return result.Request!;
    }

    /// <summary>The request is refused, and exactly the one field named is blamed.</summary>
    private static ValidationError RefusedFor(string json, string field, bool allowPrivateImageUrls = false)
    {
        var result = Parse(json, allowPrivateImageUrls);
        Assert.False(result.IsValid);
        Assert.Null(result.Request);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }

    private static string WithScene(string sceneJson) => $$"""{"script": "Hello.", "prompts": [{{sceneJson}}]}""";

    private static string WithOptions(string options) => $$"""{"script": "Hello.", "prompts": ["a cat"], "options": {{options}}}""";

    /// <summary>A scene with an image prompt and the given image_url, so that only the URL can be blamed.</summary>
    private static string SceneWithUrl(string url) => WithScene($$"""{"image": "a cat", "image_url": {{Quote(url)}}}""");

    private static string SceneWithFile(string file) => WithScene($$"""{"image": "a cat", "image_file": {{Quote(file)}}}""");

    private static ScenePrompt OnlyScene(JobRequest request) => Assert.Single(request.Prompts);

    // image_url

    [Fact]
    public void A_public_https_image_url_is_accepted_as_given()
    {
        var scene = OnlyScene(Accepted(SceneWithUrl("https://images.example.com/cats/tabby.png?size=large")));

        Assert.Equal(new Uri("https://images.example.com/cats/tabby.png?size=large"), scene.ImageUrl);
        Assert.Null(scene.ImageFile);
    }

    [Fact]
    public void A_public_http_image_url_is_accepted() =>
        Assert.Equal(new Uri("http://example.com/a.jpg"), OnlyScene(Accepted(SceneWithUrl("http://example.com/a.jpg"))).ImageUrl);

    [Fact]
    public void A_public_literal_address_is_accepted() =>
        Assert.Equal(new Uri("http://8.8.8.8/a.png"), OnlyScene(Accepted(SceneWithUrl("http://8.8.8.8/a.png"))).ImageUrl);

    [Theory]
    [InlineData("ftp://example.com/a.png")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:image/png;base64,AAAA")]
    [InlineData("gopher://example.com/a.png")]
    public void An_image_url_that_is_not_http_or_https_is_refused(string url) =>
        RefusedFor(SceneWithUrl(url), "prompts[0].image_url");

    [Theory]
    [InlineData("/images/a.png")]
    [InlineData("example.com/a.png")]
    [InlineData("")]
    [InlineData("http://")]
    public void An_image_url_that_is_not_an_absolute_url_is_refused(string url) =>
        RefusedFor(SceneWithUrl(url), "prompts[0].image_url");

    [Theory]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("[\"https://example.com/a.png\"]")]
    [InlineData("{\"href\": \"https://example.com/a.png\"}")]
    public void An_image_url_that_is_not_a_string_is_refused(string url) =>
        RefusedFor(WithScene($$"""{"image": "a cat", "image_url": {{url}}}"""), "prompts[0].image_url");

    [Theory]
    [InlineData("https://user:secret@example.com/a.png")]
    [InlineData("https://user@example.com/a.png")]
    public void An_image_url_carrying_a_user_name_or_password_is_refused(string url) =>
        Assert.Contains("user name or password", RefusedFor(SceneWithUrl(url), "prompts[0].image_url").Message);

    [Theory]
    [InlineData("http://127.0.0.1/a.png")]
    [InlineData("http://127.8.9.10:8080/a.png")]
    [InlineData("http://[::1]/a.png")]
    [InlineData("http://10.1.2.3/a.png")]
    [InlineData("http://172.16.0.5/a.png")]
    [InlineData("http://192.168.1.10/a.png")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://100.64.0.1/a.png")]
    [InlineData("http://0.0.0.0/a.png")]
    [InlineData("http://[fd00::1]/a.png")]
    [InlineData("http://[fe80::1]/a.png")]
    [InlineData("http://[::ffff:10.0.0.1]/a.png")]
    [InlineData("http://[::ffff:127.0.0.1]/a.png")]
    public void An_image_url_naming_a_loopback_or_private_literal_address_is_refused(string url) =>
        Assert.Contains("allow-private-networks", RefusedFor(SceneWithUrl(url), "prompts[0].image_url").Message);

    [Theory]
    [InlineData("http://2130706433/a.png")]
    [InlineData("http://0x7f000001/a.png")]
    [InlineData("http://127.1/a.png")]
    [InlineData("http://017700000001/a.png")]
    public void An_image_url_spelling_loopback_in_another_ipv4_notation_is_refused(string url) =>
        RefusedFor(SceneWithUrl(url), "prompts[0].image_url");

    [Theory]
    [InlineData("http://localhost/a.png")]
    [InlineData("http://LOCALHOST:8188/a.png")]
    [InlineData("http://images.localhost/a.png")]
    [InlineData("http://localhost./a.png")]
    public void An_image_url_naming_localhost_is_refused(string url) =>
        RefusedFor(SceneWithUrl(url), "prompts[0].image_url");

    [Theory]
    [InlineData("http://127.0.0.1:9000/a.png")]
    [InlineData("http://localhost:9000/a.png")]
    [InlineData("http://[::1]:9000/a.png")]
    [InlineData("http://192.168.1.10/a.png")]
    [InlineData("http://169.254.169.254/a.png")]
    public void A_private_image_url_is_accepted_when_private_networks_are_allowed(string url) =>
        Assert.Equal(new Uri(url), OnlyScene(Accepted(SceneWithUrl(url), allowPrivateImageUrls: true)).ImageUrl);

    [Fact]
    public void Allowing_private_networks_still_refuses_credentials_in_an_image_url() =>
        RefusedFor(SceneWithUrl("http://user:pw@127.0.0.1/a.png"), "prompts[0].image_url", allowPrivateImageUrls: true);

    [Fact]
    public void Allowing_private_networks_still_refuses_a_scheme_that_is_not_http() =>
        RefusedFor(SceneWithUrl("file:///etc/passwd"), "prompts[0].image_url", allowPrivateImageUrls: true);

    [Fact]
    public void An_image_url_of_2048_characters_is_accepted()
    {
        const string prefix = "https://example.com/";
        var url = prefix + new string('a', SceneInputs.MaxUrlLength - prefix.Length);

        Assert.Equal(new Uri(url), OnlyScene(Accepted(SceneWithUrl(url))).ImageUrl);
    }

    [Fact]
    public void An_image_url_over_2048_characters_is_refused()
    {
        const string prefix = "https://example.com/";
        var url = prefix + new string('a', SceneInputs.MaxUrlLength - prefix.Length + 1);

        RefusedFor(SceneWithUrl(url), "prompts[0].image_url");
    }

    [Fact]
    public void A_null_image_url_is_as_if_absent() =>
        Assert.Null(OnlyScene(Accepted(WithScene("""{"image": "a cat", "image_url": null}"""))).ImageUrl);

    [Fact]
    public void A_bad_image_url_is_blamed_on_its_own_scene_index() =>
        RefusedFor("""{"script": "Hello.", "prompts": ["a cat", {"image": "a dog", "image_url": "ftp://example.com/a.png"}]}""", "prompts[1].image_url");

    // image_file

    [Theory]
    [InlineData("mine.png")]
    [InlineData("Scene_01-final.jpg")]
    [InlineData("photo.JPEG")]
    [InlineData("a.webp")]
    [InlineData("v1.2.png")]
    public void An_image_file_that_is_a_plain_image_name_is_accepted_as_given(string file)
    {
        var scene = OnlyScene(Accepted(SceneWithFile(file)));

        Assert.Equal(file, scene.ImageFile);
        Assert.Null(scene.ImageUrl);
    }

    [Theory]
    [InlineData("../x.png")]
    [InlineData("..")]
    [InlineData("a/b.png")]
    [InlineData("a\\b.png")]
    [InlineData("/etc/x.png")]
    [InlineData("C:x.png")]
    public void An_image_file_with_a_path_is_refused(string file) =>
        RefusedFor(SceneWithFile(file), "prompts[0].image_file");

    [Theory]
    [InlineData(".hidden.png")]
    [InlineData("-x.png")]
    [InlineData("_x.png")]
    public void An_image_file_not_starting_with_a_letter_or_digit_is_refused(string file) =>
        RefusedFor(SceneWithFile(file), "prompts[0].image_file");

    [Theory]
    [InlineData("x.exe")]
    [InlineData("x.png.exe")]
    [InlineData("x.gif")]
    [InlineData("x")]
    [InlineData("png")]
    [InlineData("x.")]
    public void An_image_file_without_an_image_extension_is_refused(string file) =>
        RefusedFor(SceneWithFile(file), "prompts[0].image_file");

    [Theory]
    [InlineData("")]
    [InlineData("a b.png")]
    [InlineData("x.png\n")]
    [InlineData("x.png\u0000")]
    [InlineData("caf\u00e9.png")]
    public void An_image_file_with_other_characters_is_refused(string file) =>
        RefusedFor(SceneWithFile(file), "prompts[0].image_file");

    [Fact]
    public void An_image_file_name_of_128_characters_before_its_extension_is_accepted()
    {
        var file = new string('a', 128) + ".png";

        Assert.Equal(file, OnlyScene(Accepted(SceneWithFile(file))).ImageFile);
    }

    [Fact]
    public void An_image_file_name_over_128_characters_before_its_extension_is_refused() =>
        RefusedFor(SceneWithFile(new string('a', 129) + ".png"), "prompts[0].image_file");

    [Theory]
    [InlineData("7")]
    [InlineData("false")]
    [InlineData("[\"mine.png\"]")]
    public void An_image_file_that_is_not_a_string_is_refused(string file) =>
        RefusedFor(WithScene($$"""{"image": "a cat", "image_file": {{file}}}"""), "prompts[0].image_file");

    // image prompt, given image, or both

    [Fact]
    public void A_scene_with_an_image_url_needs_no_image_prompt()
    {
        var scene = OnlyScene(Accepted(WithScene("""{"image_url": "https://example.com/a.png", "motion": "kenburns"}""")));

        Assert.Equal("", scene.Image);
        Assert.Equal(new Uri("https://example.com/a.png"), scene.ImageUrl);
    }

    [Fact]
    public void A_scene_with_an_image_file_needs_no_image_prompt()
    {
        var scene = OnlyScene(Accepted(WithScene("""{"image_file": "mine.png", "video": "slow pan"}""")));

        Assert.Equal("", scene.Image);
        Assert.Equal("mine.png", scene.ImageFile);
        Assert.Equal("slow pan", scene.Video);
    }

    [Fact]
    public void A_scene_bringing_its_image_may_leave_the_image_prompt_blank() =>
        Assert.Equal("", OnlyScene(Accepted(WithScene("""{"image": "  ", "image_file": "mine.png", "video": "slow pan"}"""))).Image);

    [Fact]
    public void A_scene_bringing_its_image_keeps_an_image_prompt_it_gives() =>
        Assert.Equal("a cat", OnlyScene(Accepted(WithScene("""{"image": "a cat", "image_file": "mine.png"}"""))).Image);

    [Fact]
    public void A_scene_bringing_its_image_still_refuses_an_image_prompt_that_is_not_a_string() =>
        RefusedFor(WithScene("""{"image": 5, "image_file": "mine.png"}"""), "prompts[0].image");

    [Fact]
    public void A_scene_bringing_its_image_still_refuses_an_image_prompt_over_4000_characters() =>
        RefusedFor(WithScene($$"""{"image": {{Quote(new string('a', 4001))}}, "image_file": "mine.png"}"""), "prompts[0].image");

    [Theory]
    [InlineData("{\"motion\": \"kenburns\"}")]
    [InlineData("{\"seed\": 7}")]
    [InlineData("{\"image_url\": null}")]
    [InlineData("{\"image_file\": null, \"video\": \"pan\"}")]
    public void A_scene_that_brings_no_image_requires_an_image_prompt(string scene) =>
        Assert.Contains("image_url or image_file", RefusedFor(WithScene(scene), "prompts[0].image").Message);

    [Theory]
    [InlineData("{\"image_url\": \"ftp://example.com/a.png\"}", "prompts[0].image_url")]
    [InlineData("{\"image_url\": \"http://127.0.0.1/a.png\"}", "prompts[0].image_url")]
    [InlineData("{\"image_file\": \"../a.png\"}", "prompts[0].image_file")]
    public void A_scene_whose_refused_image_source_was_its_only_image_is_blamed_on_that_source_alone(string scene, string field) =>
        RefusedFor(WithScene(scene), field);

    [Fact]
    public void A_scene_that_brings_no_image_refuses_a_blank_image_prompt() =>
        RefusedFor(WithScene("""{"image": "  ", "motion": "kenburns"}"""), "prompts[0].image");

    [Fact]
    public void A_scene_giving_both_image_url_and_image_file_is_refused() =>
        Assert.Contains("not both", RefusedFor(WithScene("""{"image_url": "https://example.com/a.png", "image_file": "mine.png"}"""), "prompts[0]").Message);

    // motion

    [Theory]
    [InlineData("kenburns", SceneMotion.KenBurns)]
    [InlineData("model", SceneMotion.Model)]
    public void A_scene_motion_of_kenburns_or_model_is_accepted(string motion, SceneMotion expected) =>
        Assert.Equal(expected, OnlyScene(Accepted(WithScene($$"""{"image": "a cat", "motion": {{Quote(motion)}}}"""))).Motion);

    [Fact]
    public void A_scene_without_motion_leaves_it_to_the_options() =>
        Assert.Null(OnlyScene(Accepted(WithScene("""{"image": "a cat"}"""))).Motion);

    [Theory]
    [InlineData("\"KenBurns\"")]
    [InlineData("\"ken_burns\"")]
    [InlineData("\"zoom\"")]
    [InlineData("\"\"")]
    [InlineData("\"model \"")]
    [InlineData("1")]
    [InlineData("true")]
    public void Any_other_scene_motion_is_refused(string motion) =>
        RefusedFor(WithScene($$"""{"image": "a cat", "motion": {{motion}}}"""), "prompts[0].motion");

    [Theory]
    [InlineData("kenburns", SceneMotion.KenBurns)]
    [InlineData("model", SceneMotion.Model)]
    public void An_options_motion_of_kenburns_or_model_is_accepted(string motion, SceneMotion expected) =>
        Assert.Equal(expected, Accepted(WithOptions($$"""{"motion": {{Quote(motion)}}}""")).Options.Motion);

    [Fact]
    public void Options_without_motion_default_to_the_model() =>
        Assert.Equal(SceneMotion.Model, Accepted(WithOptions("{}")).Options.Motion);

    [Theory]
    [InlineData("\"KENBURNS\"")]
    [InlineData("\"static\"")]
    [InlineData("0")]
    [InlineData("[\"kenburns\"]")]
    public void Any_other_options_motion_is_refused(string motion) =>
        RefusedFor(WithOptions($$"""{"motion": {{motion}}}"""), "options.motion");

    // seed

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("42", 42L)]
    [InlineData("9007199254740991", SceneInputs.MaxSeed)]
    public void A_scene_seed_from_0_to_2_pow_53_minus_1_is_accepted(string seed, long expected) =>
        Assert.Equal(expected, OnlyScene(Accepted(WithScene($$"""{"image": "a cat", "seed": {{seed}}}"""))).Seed);

    [Fact]
    public void A_scene_without_seed_leaves_it_to_the_options() =>
        Assert.Null(OnlyScene(Accepted(WithScene("""{"image": "a cat"}"""))).Seed);

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("9007199254740992")]
    [InlineData("18446744073709551616")]
    [InlineData("1e300")]
    [InlineData("\"42\"")]
    [InlineData("true")]
    public void A_scene_seed_that_is_not_a_whole_number_from_0_to_2_pow_53_minus_1_is_refused(string seed) =>
        RefusedFor(WithScene($$"""{"image": "a cat", "seed": {{seed}}}"""), "prompts[0].seed");

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1234", 1234L)]
    [InlineData("9007199254740991", SceneInputs.MaxSeed)]
    public void An_options_seed_from_0_to_2_pow_53_minus_1_is_accepted(string seed, long expected) =>
        Assert.Equal(expected, Accepted(WithOptions($$"""{"seed": {{seed}}}""")).Options.Seed);

    [Fact]
    public void Options_without_seed_leave_it_random() =>
        Assert.Null(Accepted(WithOptions("{}")).Options.Seed);

    [Theory]
    [InlineData("-5")]
    [InlineData("0.5")]
    [InlineData("9007199254740992")]
    [InlineData("\"7\"")]
    [InlineData("{}")]
    public void An_options_seed_that_is_not_a_whole_number_from_0_to_2_pow_53_minus_1_is_refused(string seed) =>
        RefusedFor(WithOptions($$"""{"seed": {{seed}}}"""), "options.seed");

    [Fact]
    public void A_null_options_seed_is_as_if_absent() =>
        Assert.Null(Accepted(WithOptions("""{"seed": null}""")).Options.Seed);

    // all together

    [Fact]
    public void A_scene_with_every_new_field_is_read_whole()
    {
        var request = Accepted("""
            {"script": "Hi.", "prompts": [
              {"image": "a lighthouse", "video": "waves", "duration": 3, "image_url": "https://example.com/l.png", "motion": "kenburns", "seed": 99},
              {"image_file": "mine.png", "video": "a slow pan", "motion": "model"}
            ], "options": {"seed": 1000, "motion": "kenburns", "aspect": "16:9"}}
            """);

        Assert.Equal(
            [
                new ScenePrompt("a lighthouse", "waves", 3, new Uri("https://example.com/l.png"), null, SceneMotion.KenBurns, 99),
                new ScenePrompt("", "a slow pan", null, null, "mine.png", SceneMotion.Model, null),
            ],
            request.Prompts.ToArray());
        Assert.Equal(new JobOptions(AspectRatio.Landscape, Seed: 1000, Motion: SceneMotion.KenBurns), request.Options);
    }

    [Fact]
    public void Every_bad_new_field_is_reported_at_once()
    {
        var result = Parse("""
            {"script": "Hi.", "prompts": [
              {"image": "a", "image_url": "http://10.0.0.1/a.png", "motion": "spin", "seed": -1},
              {"image": "b", "image_file": "../b.png"}
            ], "options": {"seed": 1.5, "motion": "zoom"}}
            """);

        Assert.False(result.IsValid);
        Assert.Equal(
            ["options.motion", "options.seed", "prompts[0].image_url", "prompts[0].motion", "prompts[0].seed", "prompts[1].image_file"],
            result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void A_scene_bringing_its_image_without_any_prompt_needs_a_video_prompt_for_a_model_clip() =>
        Assert.Contains("kenburns", RefusedFor(WithScene("""{"image_url": "https://example.com/a.png"}"""), "prompts[0].video").Message);

    [Fact]
    public void A_scene_bringing_its_image_without_any_prompt_is_accepted_when_every_clip_is_ken_burns() =>
        Assert.Equal("", Accepted("""{"script": "Hi.", "prompts": [{"image_file": "mine.png"}], "options": {"motion": "kenburns"}}""").Prompts[0].Image);
}
