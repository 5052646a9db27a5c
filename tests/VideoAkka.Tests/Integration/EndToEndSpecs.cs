using System.Net;
using System.Net.Http.Headers;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Must show 1: HTTP submit → worker → completed, at the contract's size, downloaded as a browser would.</summary>
public sealed class EndToEndSpecs
{
    [Fact]
    public async Task A_submitted_job_completes_as_a_1080x1920_H264_AAC_video_as_long_as_its_voiceover_downloaded_in_ranges()
    {
        await using var service = await ServiceUnderTest.StartAsync(hocon: "");
        var jobId = await service.SubmitAsync(JobBodies.Simple("e2e-run", scenes: 2, sceneSeconds: 1,
            script: "The tide comes in. The boats come home, and the harbour lights come on."));

        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", record.GetProperty("status").GetString());
        var folder = service.Folder("e2e-run");
        Assert.Equal(Path.Combine(folder, "stitched_subtitled.mp4"), record.GetProperty("final_video_path").GetString());
        Assert.Equal(Path.Combine(folder, "voiceover.mp3"), record.GetProperty("voiceover_path").GetString());

        var downloaded = Path.Combine(Path.GetTempPath(), $"{jobId}.mp4");
        await DownloadInRangesAsync(service.Http, $"/orchestrate/video/{jobId}", downloaded);
        try
        {
            var video = await MediaInfo.ProbeAsync(downloaded);
            var voiceover = await MediaInfo.ProbeAsync(Path.Combine(folder, "voiceover.mp3"));
            Assert.Equal(("h264", 1080, 1920), (video.Video.Codec, video.Video.Width, video.Video.Height));
            Assert.Equal("aac", video.Audio.Codec);
            Assert.InRange(video.Duration, voiceover.Duration - 0.5, voiceover.Duration + 0.5);
        }
        finally
        {
            File.Delete(downloaded);
        }
    }

    /// <summary>Fetches the file as a seeking player does: consecutive byte ranges, each of which must be a 206.</summary>
    private static async Task DownloadInRangesAsync(HttpClient http, string url, string target)
    {
        const int chunk = 256 * 1024;
        await using var file = File.Create(target);
        long? total = null;
        for (long from = 0; total is null || from < total; from += chunk)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Range = new RangeHeaderValue(from, from + chunk - 1);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            total = response.Content.Headers.ContentRange!.Length;
            await (await response.Content.ReadAsStreamAsync()).CopyToAsync(file);
        }
        Assert.Equal(total, file.Length);
    }

    [Fact]
    public async Task The_video_endpoint_answers_a_range_request_with_206_and_the_requested_bytes()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var jobId = await service.SubmitAsync(JobBodies.Simple("range-run", scenes: 1));
        await service.WaitUntilFinishedAsync(jobId);
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(service.Folder("range-run"), "stitched_subtitled.mp4"));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/orchestrate/video/{jobId}");
        request.Headers.Range = new RangeHeaderValue(100, 1123);
        using var response = await service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"bytes 100-1123/{onDisk.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(onDisk.AsSpan(100, 1024).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_completed_job_record_lists_its_files_in_scene_order()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var jobId = await service.SubmitAsync(JobBodies.Simple("files-run", scenes: 3, sceneSeconds: 0.5));

        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal(["vid_001.mp4", "vid_002.mp4", "vid_003.mp4"], record.GetProperty("video_files").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["img_001.png", "img_002.png", "img_003.png"], record.GetProperty("image_files").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1.0, record.GetProperty("progress").GetDouble());
        Assert.Equal("done", record.GetProperty("stage").GetString());
        foreach (var name in new[] { "manifest.json", "subtitles.srt", "voiceover.mp3", "img_003.png", "vid_003.mp4" })
        {
            Assert.True(File.Exists(Path.Combine(service.Folder("files-run"), name)), $"{name} is missing");
        }
    }

    [Fact]
    public async Task A_run_id_reused_by_a_later_job_serves_only_the_later_jobs_video()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var earlier = await service.SubmitAsync(JobBodies.Simple("reused-run", scenes: 1));
        await service.WaitUntilFinishedAsync(earlier);
        var later = await service.SubmitAsync(JobBodies.Simple("reused-run", scenes: 2));
        await service.WaitUntilFinishedAsync(later);

        using var earlierVideo = await service.Http.GetAsync($"/orchestrate/video/{earlier}");
        using var laterVideo = await service.Http.GetAsync($"/orchestrate/video/{later}");

        Assert.Equal(HttpStatusCode.NotFound, earlierVideo.StatusCode);
        Assert.Equal("application/problem+json", earlierVideo.Content.Headers.ContentType?.MediaType);
        Assert.Contains(later, await earlierVideo.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, laterVideo.StatusCode);
    }
}
