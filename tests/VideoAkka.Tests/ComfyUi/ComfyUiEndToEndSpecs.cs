using System.Collections.Concurrent;
using System.Text.Json;
using VideoAkka.Tests.Support;
using VideoAkka.Fakes;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;

namespace VideoAkka.Tests.ComfyUi;

/// <summary>Must show 1: a job made on ComfyUI (a fake that speaks its protocol and writes real PNG and MP4 files).</summary>
public sealed class ComfyUiEndToEndSpecs
{
    [Fact]
    public async Task A_job_completes_through_ComfyUI_with_every_image_and_clip_downloaded_and_listed_in_the_record()
    {
        await using var comfy = await FakeComfyUi.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var jobId = await service.SubmitAsync(Body("comfy-run", Scene("a lighthouse at dusk"), Scene("waves on rocks")));
        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", Status(record));
        Assert.Equal(["img_001.png", "img_002.png"], record.GetProperty("image_files").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["vid_001.mp4", "vid_002.mp4"], record.GetProperty("video_files").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, comfy.Submissions.Count(IsImage));
        Assert.Equal(2, comfy.Submissions.Count(IsClip));
        for (var i = 1; i <= 2; i++)
        {
            var clip = await MediaInfo.ProbeAsync(Path.Combine(service.Folder("comfy-run"), $"vid_{i:000}.mp4"));
            Assert.Equal((180, 320), (clip.Video.Width, clip.Video.Height));
            var image = await MediaInfo.ProbeAsync(Path.Combine(service.Folder("comfy-run"), $"img_{i:000}.png"));
            Assert.Equal((180, 320), (image.Video.Width, image.Video.Height));
        }
        var final = await MediaInfo.ProbeAsync(record.GetProperty("final_video_path").GetString()!);
        Assert.Equal("h264", final.Video.Codec);
    }

    [Fact]
    public async Task The_scene_images_are_uploaded_as_the_start_frames_of_the_clip_prompts()
    {
        await using var comfy = await FakeComfyUi.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var jobId = await service.SubmitAsync(Body("upload-run", Scene("a fox in snow")));
        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(jobId)));

        var upload = Assert.Single(comfy.Uploads);
        Assert.Equal($"videoakka/{jobId}", upload.Subfolder);
        var clip = Assert.Single(comfy.Submissions, IsClip);
        Assert.Equal($"videoakka/{jobId}/{upload.Name}", clip.Graph.GetProperty("57").GetProperty("inputs").GetProperty("image").GetString());
    }

    [Fact]
    public async Task The_manifest_names_comfyui_as_the_maker_of_each_scene_and_records_its_seed()
    {
        await using var comfy = await FakeComfyUi.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);
        var scene = Scene("a fixed seed");
        scene["seed"] = 424242;

        var jobId = await service.SubmitAsync(Body("manifest-run", scene));
        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(jobId)));

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(service.Folder("manifest-run"), "manifest.json")));
        var first = manifest.RootElement.GetProperty("scenes")[0];
        Assert.Equal("comfyui", first.GetProperty("image_backend").GetString());
        Assert.Equal("comfyui", first.GetProperty("clip_backend").GetString());
        Assert.Equal(424242, first.GetProperty("seed").GetInt64());
        Assert.All(comfy.Submissions, s => Assert.Equal(424242, s.Graph.GetProperty("3").GetProperty("inputs").GetProperty("seed").GetInt64()));
    }

    [Fact]
    public async Task Progress_between_0_and_1_appears_in_the_job_record_while_the_prompts_run()
    {
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromSeconds(2), ProgressSteps = 8 });
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var jobId = await service.SubmitAsync(Body("progress-run", Scene("slow scene")));
        var seen = new ConcurrentBag<double>();
        await Eventually.WaitUntilAsync(async () =>
        {
            var status = await service.StatusAsync(jobId);
            var stage = status.GetProperty("stage").GetString();
            if (comfy.Running > 0 && stage is "image-gen" or "video-gen")
            {
                seen.Add(status.GetProperty("progress").GetDouble());
            }
            return Status(status) is "completed" or "failed";
        }, "the job to finish");

        Assert.Contains(seen, p => p is > 0 and < 1);
        Assert.True(seen.Distinct().Count() > 2, $"progress moved while the prompts ran: {string.Join(", ", seen.Distinct())}");
    }

    [Theory]
    [InlineData("webm", false)]
    [InlineData("gif", false)]
    [InlineData("mp4", true)]
    public async Task A_clip_saved_as_webm_gif_or_reported_under_gifs_is_transcoded_to_an_h264_clip_of_the_scene_length(string extension, bool underGifs)
    {
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { VideoExtension = extension, ReportVideosUnderGifs = underGifs });
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var jobId = await service.SubmitAsync(Body($"{extension}-run", Scene("a fox in snow", seconds: 2)));
        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(jobId)));

        var clip = await MediaInfo.ProbeAsync(Path.Combine(service.Folder($"{extension}-run"), "vid_001.mp4"));
        Assert.Equal("h264", clip.Video.Codec);
        Assert.Equal((180, 320), (clip.Video.Width, clip.Video.Height));
        Assert.InRange(clip.Duration, 1.9, 2.1); // the fake's clip is 1 s: its last frame is held for the scene
    }

    [Fact]
    public async Task An_animated_webp_clip_fails_the_job_saying_which_save_node_to_use()
    {
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { VideoExtension = "webp" });
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var record = await service.WaitUntilFinishedAsync(await service.SubmitAsync(Body("webp-run", Scene("a fox in snow"))));

        Assert.Equal("failed", Status(record));
        Assert.Contains("animated WebP", Error(record));
        Assert.Contains("SaveVideo (mp4)", Error(record));
    }

    [Fact]
    public async Task A_prompt_whose_websocket_drops_mid_run_is_still_followed_to_its_end_through_the_history()
    {
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromSeconds(2) });
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var jobId = await service.SubmitAsync(Body("dropped-socket-run", Scene("a fox in snow")));
        await Eventually.WaitUntilAsync(() => Task.FromResult(comfy.Running > 0), "the image prompt to run");
        comfy.DropSockets();

        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(jobId)));
        Assert.Equal(2, comfy.Submissions.Count); // followed, not submitted again
        Assert.Contains(comfy.Requests, r => r.StartsWith($"GET /history/{comfy.Submissions[0].PromptId}", StringComparison.Ordinal));
        Assert.True(comfy.Requests.Count(r => r.StartsWith("GET /ws", StringComparison.Ordinal)) >= 3, "the socket was opened again after the drop");
    }
}
