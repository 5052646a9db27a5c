using System.Text.Json;
using System.Text.Json.Nodes;
using CliWrap;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Quality control before "completed": every render is measured, the report is in the job record and
/// manifest.json, hard checks fail the job and soft ones are warnings; a failing ffmpeg says why.</summary>
public sealed class QcSpecs
{
    private static JsonElement Check(JsonElement record, string name) =>
        record.GetProperty("qc").GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static string Result(JsonElement record, string name) => Check(record, name).GetProperty("result").GetString()!;

    /// <summary>A job whose first scene is the given image (written into the run folder before the job is submitted).</summary>
    private static async Task<string> SubmitWithImageAsync(ServiceUnderTest service, string runId, string image, Func<string, Task> writeImage, bool voiceover = false)
    {
        Directory.CreateDirectory(service.Folder(runId));
        await writeImage(Path.Combine(service.Folder(runId), image));
        var body = JsonNode.Parse(JobBodies.Simple(runId, scenes: 2, voiceover: voiceover))!;
        body["prompts"]![0]!["image_file"] = image;
        body["prompts"]![0]!["duration"] = 2.5;
        return await service.SubmitAsync(body.ToJsonString());
    }

    private static Func<string, Task> BlackImage => path => Cli.Wrap("ffmpeg")
        .WithArguments(["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=black:s=180x320", "-frames:v", "1", path]).ExecuteAsync();

    [Fact]
    public async Task A_completed_job_has_every_check_passed_with_its_measured_value_in_its_record_and_its_manifest()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var jobId = await service.SubmitAsync(JobBodies.Simple("qc-good"));

        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", record.GetProperty("status").GetString());
        var qc = record.GetProperty("qc");
        Assert.True(qc.GetProperty("result").GetString() == "passed", qc.GetRawText());
        Assert.All(qc.GetProperty("checks").EnumerateArray(), c => Assert.Equal("pass", c.GetProperty("result").GetString()));
        Assert.Equal(["video", "audio", "duration", "loudness", "true_peak", "black", "subtitles"],
            qc.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var video = await MediaInfo.ProbeAsync(Path.Combine(service.Folder("qc-good"), "stitched_subtitled.mp4"));
        var duration = Check(record, "duration");
        Assert.Equal(video.Duration, duration.GetProperty("measured").GetDouble(), 3);
        Assert.True(duration.GetProperty("min").GetDouble() < video.Duration && video.Duration < duration.GetProperty("max").GetDouble());
        Assert.Equal("h264", Check(record, "video").GetProperty("found").GetString());
        Assert.Equal("aac", Check(record, "audio").GetProperty("found").GetString());
        var loudness = Check(record, "loudness").GetProperty("measured").GetDouble();
        Assert.InRange(loudness, -15, -13); // the render brings the mix to -14 LUFS
        Assert.Equal(2, Check(record, "subtitles").GetProperty("measured").GetInt32()); // two sentences
        Assert.Equal(0, Check(record, "black").GetProperty("measured").GetDouble());

        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(service.Folder("qc-good"), "manifest.json")))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(qc.GetRawText()), manifest["qc"]), "manifest.json holds the record's qc report");
        Assert.Equal(jobId, manifest["job_id"]!.GetValue<string>()); // the rest of the manifest is still there
    }

    [Fact]
    public async Task A_black_stretch_over_a_second_is_recorded_as_a_warning_and_the_job_completes()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var jobId = await SubmitWithImageAsync(service, "qc-black", "black.png", BlackImage);

        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", record.GetProperty("status").GetString());
        Assert.Equal("warnings", record.GetProperty("qc").GetProperty("result").GetString());
        var black = Check(record, "black");
        Assert.Equal(("warn", false), (black.GetProperty("result").GetString(), black.GetProperty("hard").GetBoolean()));
        Assert.InRange(black.GetProperty("measured").GetDouble(), 2.0, 2.6); // the 2.5 s black scene
        Assert.Equal(1.0, black.GetProperty("max").GetDouble());
    }

    [Fact]
    public async Task With_black_stretches_configured_to_fail_the_job_fails_naming_the_check_and_its_render_is_set_aside()
    {
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.qc.black.fails = on");
        var jobId = await SubmitWithImageAsync(service, "qc-black-fails", "black.png", BlackImage);

        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Matches(@"^qc: black 2\.\d+ s, expected at most 1, a black stretch in the video$", record.GetProperty("error").GetString());
        Assert.Equal("failed", record.GetProperty("qc").GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("final_video_path").ValueKind);
        Assert.False(File.Exists(Path.Combine(service.Folder("qc-black-fails"), "stitched_subtitled.mp4")));
        Assert.True(File.Exists(Path.Combine(service.Folder("qc-black-fails"), "stitched_subtitled.rejected.mp4")), "the rejected render is kept to look at");
    }

    [Fact]
    public async Task A_job_without_a_voiceover_has_a_silent_aac_track_whose_loudness_is_not_checked()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var jobId = await service.SubmitAsync(JobBodies.Simple("qc-silent", voiceover: false));

        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", record.GetProperty("status").GetString());
        Assert.Equal("passed", record.GetProperty("qc").GetProperty("result").GetString());
        Assert.Equal("pass", Result(record, "audio"));
        Assert.Equal("skip", Result(record, "loudness"));
        Assert.Equal("no voiceover: the audio track is silence", Check(record, "loudness").GetProperty("note").GetString());
        Assert.Equal(2.0, Check(record, "duration").GetProperty("measured").GetDouble(), 1); // the clips' length: 2 x 1 s
    }

    [Fact]
    public async Task A_failing_ffmpeg_fails_its_job_naming_the_tool_its_exit_code_and_the_decoders_complaint()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        // A PNG signature and then nothing a decoder can read: it passes the format sniffing, ffmpeg refuses it.
        var jobId = await SubmitWithImageAsync(service, "qc-corrupt", "corrupt.png",
            path => File.WriteAllBytesAsync(path, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. "this is not a png body at all"u8]));

        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("failed", record.GetProperty("status").GetString());
        var error = record.GetProperty("error").GetString()!;
        Assert.StartsWith("image-gen scene 1: ffmpeg exited with code 1: [png] chunk too big", error);
        Assert.Contains("Invalid data found when processing input", error);
        Assert.DoesNotContain(service.DataRoot, error);
        Assert.DoesNotContain("0x", error);
        Assert.DoesNotContain("ffmpeg version", error);
    }
}
