using System.Globalization;
using System.Text.Json;
using CliWrap;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Render;

/// <summary>
/// A job whose scenes are clips the client put in the run's folder (clip_file): each clip keeps its own size, rate
/// and codec until the final render, which fits them all to the job's frame and rate in its one pass.
/// </summary>
public sealed class GivenClipJobSpecs : IAsyncLifetime
{
    private ServiceUnderTest _service = null!;

    public async Task InitializeAsync() => _service = await ServiceUnderTest.StartAsync();

    /// <summary>A test pattern clip with no black in it (testsrc2 is coloured everywhere), written into the run's folder.</summary>
    private async Task ClipAsync(string runId, string name, string size, int fps, double seconds, params string[] codec)
    {
        var folder = Directory.CreateDirectory(_service.Folder(runId)).FullName;
        await Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-y", "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=s={size}:r={fps}:d={seconds}"),
            .. codec, name]).WithWorkingDirectory(folder).ExecuteAsync();
    }

    private static string ThreeClipJob(string runId) => $$"""
        {"script": "Three clips of different sizes. Each at its own frame rate. One frame comes out.", "run_id": "{{runId}}",
         "prompts": [{"clip_file": "wide.mp4", "duration": 2}, {"clip_file": "small.webm", "duration": 2}, {"clip_file": "tall.mkv", "duration": 2}]}
        """;

    private async Task WriteThreeClipsAsync(string runId)
    {
        await ClipAsync(runId, "wide.mp4", "640x360", 30, 2, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        await ClipAsync(runId, "small.webm", "320x240", 15, 2, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k");
        // MPEG-2 is a codec MP4 does not carry: this one is encoded once on import, the others are copied.
        await ClipAsync(runId, "tall.mkv", "200x400", 24, 2, "-c:v", "mpeg2video", "-q:v", "4");
    }

    private static void AssertCompleted(JsonElement record) => Assert.True(record.GetProperty("status").GetString() == "completed",
        record.TryGetProperty("error", out var error) ? error.ToString() : record.ToString());

    [Fact]
    public async Task Clips_of_three_sizes_and_frame_rates_in_one_job_render_at_the_jobs_frame_and_rate_with_no_black_frame()
    {
        await WriteThreeClipsAsync("three-clips");

        var record = await _service.WaitUntilFinishedAsync(await _service.SubmitAsync(ThreeClipJob("three-clips")));

        AssertCompleted(record);
        var output = Path.Combine(_service.Folder("three-clips"), JobFolder.FinalVideoName);
        var info = await MediaInfo.ProbeAsync(output);
        Assert.Equal((180, 320), (info.Video.Width, info.Video.Height));
        Assert.Equal(15, await RenderMeasures.FrameRateAsync(output), 2);
        Assert.Empty(await RenderMeasures.BlackStretchesAsync(output));
    }

    [Fact]
    public async Task A_given_clip_keeps_its_own_size_until_the_final_render_and_is_recorded_as_the_clip_file()
    {
        await WriteThreeClipsAsync("kept-clips");

        var record = await _service.WaitUntilFinishedAsync(await _service.SubmitAsync(ThreeClipJob("kept-clips")));

        AssertCompleted(record);
        var folder = _service.Folder("kept-clips");
        var made = new List<(string, int, int)>();
        foreach (var name in new[] { "vid_001.mp4", "vid_002.mp4", "vid_003.mp4" })
        {
            var video = (await MediaInfo.ProbeAsync(Path.Combine(folder, name))).Video;
            made.Add((video.Codec, video.Width, video.Height));
        }
        Assert.Equal([("h264", 640, 360), ("vp9", 320, 240), ("h264", 200, 400)], made);
        var image = await MediaInfo.ProbeAsync(Path.Combine(folder, "img_002.png"));
        Assert.Equal((180, 320), (image.Video.Width, image.Video.Height));
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json")));
        Assert.All(manifest.RootElement.GetProperty("scenes").EnumerateArray(), scene =>
            Assert.Equal(("clip_file", "clip_file"), (scene.GetProperty("image_backend").GetString(), scene.GetProperty("clip_backend").GetString())));
    }

    [Fact]
    public async Task A_clip_file_missing_from_the_run_folder_fails_the_job_with_its_name()
    {
        Directory.CreateDirectory(_service.Folder("missing-clip"));

        var record = await _service.WaitUntilFinishedAsync(await _service.SubmitAsync(
            """{"script": "Hello there.", "run_id": "missing-clip", "prompts": [{"clip_file": "absent.mp4"}]}"""));

        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Equal("image-gen scene 1: clip_file absent.mp4 is not in the run's folder", record.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_clip_file_that_is_not_a_video_fails_the_job_and_nothing_reads_what_it_names()
    {
        // An HLS playlist named .mp4: left to guess, ffmpeg would open the local file it lists.
        var folder = Directory.CreateDirectory(_service.Folder("playlist-clip")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "fake.mp4"), "#EXTM3U\n#EXTINF:1,\n/etc/passwd\n");

        var record = await _service.WaitUntilFinishedAsync(await _service.SubmitAsync(
            """{"script": "Hello there.", "run_id": "playlist-clip", "prompts": [{"clip_file": "fake.mp4"}]}"""));

        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Equal("image-gen scene 1: clip_file fake.mp4 is not an MP4, MOV, WebM or MKV video", record.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_clip_file_that_is_a_link_to_another_runs_video_fails_the_job_and_copies_nothing()
    {
        await ClipAsync("other-run", "secret.mp4", "320x240", 15, 1, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        var folder = Directory.CreateDirectory(_service.Folder("linked-clip")).FullName;
        File.CreateSymbolicLink(Path.Combine(folder, "mine.mp4"), Path.Combine(_service.Folder("other-run"), "secret.mp4"));

        var record = await _service.WaitUntilFinishedAsync(await _service.SubmitAsync(
            """{"script": "Hello there.", "run_id": "linked-clip", "prompts": [{"clip_file": "mine.mp4"}]}"""));

        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Equal("image-gen scene 1: clip_file mine.mp4 is a link, not a file in the run's folder", record.GetProperty("error").GetString());
        Assert.False(File.Exists(Path.Combine(folder, "vid_001.mp4")));
        Assert.Empty(Directory.GetFiles(folder, ".clip_file_*"));
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();
}
