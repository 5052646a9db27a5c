using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>GET /orchestrate/video/{job_id} as players and downloaders use it: the whole file, byte ranges of every
/// form, HEAD, and the 409 for a job whose video is not made (yet, or ever).</summary>
public sealed class VideoDownloadSpecs(VideoDownloadSpecs.Jobs jobs) : IClassFixture<VideoDownloadSpecs.Jobs>
{
    [Fact]
    public async Task A_plain_get_answers_200_with_the_whole_file()
    {
        using var response = await jobs.Service.Http.GetAsync(jobs.VideoUrl);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Equal(jobs.Video.Length, response.Content.Headers.ContentLength);
        Assert.Equal(jobs.Video, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_open_ended_range_answers_206_with_every_byte_from_its_start_to_the_end()
    {
        var length = jobs.Video.Length;
        var from = length - 1000;

        using var response = await GetRangeAsync($"bytes={from}-");

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {from}-{length - 1}/{length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(jobs.Video[from..], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_suffix_range_answers_206_with_the_last_bytes_of_the_file()
    {
        var length = jobs.Video.Length;

        using var response = await GetRangeAsync("bytes=-500");

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {length - 500}-{length - 1}/{length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(jobs.Video[^500..], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_range_starting_past_the_end_answers_416_naming_the_files_length()
    {
        var length = jobs.Video.Length;

        using var response = await GetRangeAsync($"bytes={length}-");

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{length}", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task A_head_request_answers_200_with_the_length_and_no_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, jobs.VideoUrl);
        using var response = await jobs.Service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Equal(jobs.Video.Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_video_of_a_running_job_gets_409_saying_it_is_running()
    {
        using var response = await jobs.Service.Http.GetAsync($"/orchestrate/video/{jobs.RunningJob}");

        var problem = await AssertConflictAsync(response);
        Assert.Equal("running", problem["job_status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_video_of_a_failed_job_gets_409_saying_it_failed()
    {
        using var response = await jobs.Service.Http.GetAsync($"/orchestrate/video/{jobs.FailedJob}");

        var problem = await AssertConflictAsync(response);
        Assert.Equal("failed", problem["job_status"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> GetRangeAsync(string range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, jobs.VideoUrl);
        Assert.True(request.Headers.TryAddWithoutValidation("Range", range)); // sent as written: HttpClient's own type cannot say "bytes=N-"
        return await jobs.Service.Http.SendAsync(request);
    }

    private static async Task<JsonObject> AssertConflictAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"expected 409, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(409, problem["status"]!.GetValue<int>());
        Assert.Equal("https://videoakka.dev/problems/video-not-ready", problem["type"]!.GetValue<string>());
        return problem;
    }

    /// <summary>One service, with a job of each kind: completed (its video read from disk), failed (espeak-ng has no
    /// such voice), and running for as long as the service lives (its voice engine never returns).</summary>
    public sealed class Jobs : IAsyncLifetime
    {
        private const string HangingVoice = "zz-hang";
        private readonly string _tools = Directory.CreateTempSubdirectory($"videoakka-tool-{Environment.ProcessId}-").FullName;

        public ServiceUnderTest Service { get; private set; } = null!;

        public string VideoUrl { get; private set; } = "";

        public byte[] Video { get; private set; } = [];

        public string FailedJob { get; private set; } = "";

        public string RunningJob { get; private set; } = "";

        public async Task InitializeAsync()
        {
            // The real espeak-ng, except for one voice that makes it hang.
            var espeak = Path.Combine(_tools, "espeak-ng");
            await File.WriteAllTextAsync(espeak, $"#!/bin/sh\ncase \"$*\" in *{HangingVoice}*) exec sleep 3600 ;; esac\nexec espeak-ng \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(espeak, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            Service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + $"\nvideoakka.tools.espeak-ng = \"{espeak}\"");

            var completed = await Service.SubmitAsync(JobBodies.Simple("download-run", scenes: 1));
            var record = await Service.WaitUntilFinishedAsync(completed);
            Assert.Equal("completed", record.GetProperty("status").GetString());
            VideoUrl = $"/orchestrate/video/{completed}";
            Video = await File.ReadAllBytesAsync(record.GetProperty("final_video_path").GetString()!);
            Assert.True(Video.Length > 2000, $"the video is only {Video.Length} bytes");

            FailedJob = await Service.SubmitAsync(JobBodies.Simple("download-failed", scenes: 1, voice: "zz-novoice"));
            Assert.Equal("failed", (await Service.WaitUntilFinishedAsync(FailedJob)).GetProperty("status").GetString());

            RunningJob = await Service.SubmitAsync(JobBodies.Simple("download-running", scenes: 1, voice: HangingVoice));
            await Eventually.WaitUntilAsync(async () => (await Service.StatusAsync(RunningJob)).GetProperty("status").GetString() == "running",
                "the hanging job to run");
        }

        public async Task DisposeAsync()
        {
            await Service.DisposeAsync();
            Directory.Delete(_tools, recursive: true);
        }
    }
}
