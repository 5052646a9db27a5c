using System.Text.Json;
using System.Text.Json.Nodes;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Tests.Support;
using VideoAkka.Fakes;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;

namespace VideoAkka.Tests.ComfyUi;

/// <summary>Must show 5: a scene that brings its image sends no image prompt, a Ken Burns scene sends no clip
/// prompt, and a plain scene sends both.</summary>
public sealed class ComfyUiSceneSourceSpecs
{
    [Fact]
    public async Task A_scene_with_image_url_sends_no_image_prompt_a_kenburns_scene_no_clip_prompt_and_a_plain_scene_both()
    {
        await using var images = await ImageServer.StartAsync();
        await using var comfy = await FakeComfyUi.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);
        var given = new JsonObject { ["image"] = "GIVEN harbour", ["image_url"] = images.Url + "/pic.png", ["duration"] = 1 };
        var still = new JsonObject { ["image"] = "STILL meadow", ["motion"] = "kenburns", ["duration"] = 1 };
        var body = JsonNode.Parse(Body("sources-run", given, still))!;
        body["prompts"]!.AsArray().Add("PLAIN forest");

        var record = await service.WaitUntilFinishedAsync(await service.SubmitAsync(body.ToJsonString()));

        Assert.Equal("completed", Status(record));
        string[] Texts(Func<FakeSubmission, bool> kind) =>
            [.. comfy.Submissions.Where(kind).Select(s => s.Graph.GetProperty("6").GetProperty("inputs").GetProperty("text").GetString()!).Order()];
        Assert.Equal(["PLAIN forest", "STILL meadow"], Texts(IsImage));
        Assert.Equal(["GIVEN harbour", "PLAIN forest"], Texts(IsClip));

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(service.Folder("sources-run"), "manifest.json")));
        var makers = manifest.RootElement.GetProperty("scenes").EnumerateArray()
            .Select(s => (s.GetProperty("image_backend").GetString(), s.GetProperty("clip_backend").GetString())).ToArray();
        Assert.Equal([("image_url", "comfyui"), ("comfyui", "kenburns"), ("comfyui", "comfyui")], makers);
    }

    [Fact]
    public async Task A_scene_image_url_that_is_not_an_image_fails_the_job_saying_so()
    {
        await using var images = await ImageServer.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(Hocon);
        var scene = new JsonObject { ["image_url"] = images.Url + "/not-an-image", ["motion"] = "kenburns", ["duration"] = 1 };

        var record = await service.WaitUntilFinishedAsync(await service.SubmitAsync(Body("not-image-run", scene)));

        Assert.Equal("failed", Status(record));
        Assert.Contains("image_url is not an image (Content-Type text/plain)", Error(record));
    }

    [Fact]
    public async Task An_image_file_in_the_run_folder_becomes_the_scene_image_at_the_frame_size()
    {
        await using var service = await ServiceUnderTest.StartAsync(Hocon);
        Directory.CreateDirectory(service.Folder("file-run"));
        await CliWrap.Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-f", "lavfi", "-i", "color=c=blue:s=400x100", "-frames:v", "1",
            Path.Combine(service.Folder("file-run"), "mine.png")]).ExecuteAsync();
        var scene = new JsonObject { ["image_file"] = "mine.png", ["motion"] = "kenburns", ["duration"] = 1 };

        var record = await service.WaitUntilFinishedAsync(await service.SubmitAsync(Body("file-run", scene)));

        Assert.Equal("completed", Status(record));
        var image = await MediaInfo.ProbeAsync(Path.Combine(service.Folder("file-run"), "img_001.png"));
        Assert.Equal((180, 320), (image.Video.Width, image.Video.Height));
    }

    [Fact]
    public async Task A_scene_image_url_larger_than_the_limit_fails_the_job_naming_the_limit()
    {
        await using var images = await ImageServer.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(Hocon + "\nvideoakka.inputs.image-url.max-bytes = 1m");
        var scene = new JsonObject { ["image_url"] = images.Url + "/big.png", ["motion"] = "kenburns", ["duration"] = 1 };

        var record = await service.WaitUntilFinishedAsync(await service.SubmitAsync(Body("big-run", scene)));

        Assert.Equal("failed", Status(record));
        Assert.Contains("image_url is larger than videoakka.inputs.image-url.max-bytes (1048576 bytes)", Error(record));
        Assert.Empty(Directory.GetFiles(service.Folder("big-run"), ".image_url_*"));
    }

    [Fact]
    public async Task The_fetch_itself_refuses_a_loopback_address_unless_private_networks_are_allowed()
    {
        await using var images = await ImageServer.StartAsync();
        var folder = new JobFolder(Directory.CreateTempSubdirectory("videoakka-fetch-").FullName);
        var prompt = new ScenePrompt("", ImageUrl: new Uri(images.Url + "/pic.png"));
        var scene = new SceneTask("job", folder, 1, prompt, 1, new VideoFormat(180, 320, 15), 1, SceneSources.For(prompt, JobOptions.Default));
        using var refusing = new GivenImages(ImageUrlSettings.Default, new MediaNormalizer(new ToolRunner(MediaToolSettings.Default)));

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => refusing.FetchAsync(scene, new Progress<double>(), default));

        Assert.Contains("resolves only to loopback or private addresses", refused.Message);
        Assert.False(File.Exists(scene.ImagePath));
    }

    [Fact]
    public async Task A_scene_image_url_whose_bytes_are_not_an_image_fails_the_job_whatever_its_content_type_says()
    {
        await using var images = await ImageServer.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(Hocon);
        var scene = new JsonObject { ["image_url"] = images.Url + "/playlist.png", ["motion"] = "kenburns", ["duration"] = 1 };

        var record = await service.WaitUntilFinishedAsync(await service.SubmitAsync(Body("playlist-run", scene)));

        Assert.Equal("failed", Status(record));
        Assert.Contains("is not a PNG, JPEG, WebP, GIF or BMP image", Error(record));
        Assert.False(File.Exists(Path.Combine(service.Folder("playlist-run"), "img_001.png")));
    }

    [Fact]
    public async Task An_image_file_that_is_a_link_out_of_the_run_folder_fails_the_job()
    {
        await using var service = await ServiceUnderTest.StartAsync(Hocon);
        Directory.CreateDirectory(service.Folder("link-run"));
        var outside = Path.Combine(Directory.CreateTempSubdirectory("videoakka-outside-").FullName, "secret.png");
        await CliWrap.Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-f", "lavfi", "-i", "color=c=red:s=64x48", "-frames:v", "1", outside]).ExecuteAsync();
        File.CreateSymbolicLink(Path.Combine(service.Folder("link-run"), "mine.png"), outside);
        var scene = new JsonObject { ["image_file"] = "mine.png", ["motion"] = "kenburns", ["duration"] = 1 };

        var record = await service.WaitUntilFinishedAsync(await service.SubmitAsync(Body("link-run", scene)));

        Assert.Equal("failed", Status(record));
        Assert.Contains("image_file mine.png is a link", Error(record));
        Assert.False(File.Exists(Path.Combine(service.Folder("link-run"), "img_001.png")));
    }
}
