using System.Text.Json;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Tests.Unit;

/// <summary>A scene's clip_file: the plain name of a video in the run's folder that becomes the scene's clip (and its
/// first frame the scene's image), under the same name rules as image_file.</summary>
public class ClipFileInputSpecs
{
    private static JobRequestParseResult Parse(string sceneJson)
    {
        using var document = JsonDocument.Parse($$"""{"script": "Hello.", "prompts": [{{sceneJson}}]}""");
        return JobRequestParser.Parse(document.RootElement, "job-default");
    }

    private static string Scene(string file, string extra = "") => $$"""{"clip_file": {{JsonSerializer.Serialize(file)}}{{extra}}}""";

    [Theory]
    [InlineData("mine.mp4")]
    [InlineData("Take_02-final.MOV")]
    [InlineData("b.webm")]
    [InlineData("b.mkv")]
    [InlineData("c.m4v")]
    public void A_plain_video_name_is_accepted_with_no_image_prompt(string file)
    {
        var result = Parse(Scene(file));

        Assert.True(result.IsValid);
        var scene = Assert.Single(result.Request!.Prompts);
        Assert.Equal((file, ""), (scene.ClipFile, scene.Image));
    }

    [Theory]
    [InlineData("../x.mp4")]
    [InlineData("a/b.mp4")]
    [InlineData("/etc/x.mp4")]
    [InlineData(".hidden.mp4")]
    [InlineData("x.png")]
    [InlineData("x.m3u8")]
    [InlineData("x.mp4\u0000")]
    public void A_name_with_a_path_or_no_video_extension_is_refused(string file)
    {
        var error = Assert.Single(Parse(Scene(file)).Errors);

        Assert.Equal("prompts[0].clip_file", error.Field);
    }

    [Theory]
    [InlineData(""", "image_file": "a.png" """)]
    [InlineData(""", "image_url": "https://example.com/a.png" """)]
    [InlineData(""", "motion": "kenburns" """)]
    [InlineData(""", "video": "the camera pans" """)]
    public void A_clip_file_with_an_image_or_motion_for_a_clip_never_generated_is_refused(string extra)
    {
        var error = Assert.Single(Parse(Scene("a.mp4", extra)).Errors);

        Assert.Equal("prompts[0]", error.Field);
    }

    [Fact]
    public void A_clip_file_scene_takes_its_image_from_the_clip_and_its_clip_from_the_file_whatever_the_jobs_motion()
    {
        var sources = SceneSources.For(new ScenePrompt("", ClipFile: "a.mp4"), JobOptions.Default with { Motion = SceneMotion.KenBurns });

        Assert.Equal((ImageSource.ClipFrame, ClipSource.File), (sources.Image, sources.Clip));
        Assert.Equal(("clip_file", "clip_file"), (sources.ImageMaker("comfyui"), sources.ClipMaker("comfyui")));
    }
}
