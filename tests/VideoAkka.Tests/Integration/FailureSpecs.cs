using System.Text.Json;
using System.Text.Json.Nodes;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Must show 4: a stage that fails fails its whole job at once, and only that job.</summary>
public sealed class FailureSpecs
{
    // espeak-ng refuses a voice it does not have: a real failure of the real tts stage.
    private const string MissingVoice = "zz-novoice";

    [Fact]
    public async Task A_failing_stage_fails_its_job_with_the_reason_and_a_dead_letter_while_another_job_completes()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var failingBody = JobBodies.Simple("doomed-run", voice: MissingVoice);
        var failing = await service.SubmitAsync(failingBody);
        var healthy = await service.SubmitAsync(JobBodies.Simple("healthy-run"));

        var failed = await service.WaitUntilFinishedAsync(failing);
        var completed = await service.WaitUntilFinishedAsync(healthy);

        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var error = failed.GetProperty("error").GetString()!;
        Assert.StartsWith("tts: espeak-ng exited with code", error);
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(service.Folder("healthy-run"), "stitched_subtitled.mp4")));
        Assert.False(File.Exists(Path.Combine(service.Folder("doomed-run"), "stitched_subtitled.mp4")));

        var deadLetters = await service.Redis.Db.ListRangeAsync("video_orchestrator:dead_letter");
        var entry = JsonNode.Parse(Assert.Single(deadLetters).ToString())!.AsObject();
        Assert.Equal(["error", "job_id", "payload"], entry.Select(p => p.Key).Order());
        Assert.Equal(failing, entry["job_id"]!.GetValue<string>());
        Assert.Equal(error, entry["error"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(failingBody), entry["payload"]), "the dead letter carries the submitted payload");
    }

    [Fact]
    public async Task A_failure_cancels_the_jobs_other_work_in_flight()
    {
        // The tts stage (parallelism 1) is first kept busy by a long narration, so the doomed job's voiceover (which
        // fails: no such voice) only starts while its one scene, a minute of full-HD video, is being encoded.
        await using var service = await ServiceUnderTest.StartAsync(hocon: ServiceUnderTest.SmallFrames + "\nvideoakka.output.sizes.\"16:9\" = \"1920x1080\"");
        var longScript = string.Join(" ", Enumerable.Range(1, 25).Select(i => $"This is sentence number {i} of a long narration."));
        var busy = await service.SubmitAsync(JobBodies.Simple("busy-run", scenes: 1, script: longScript));
        var body = JsonNode.Parse(JobBodies.Simple("cancelled-run", scenes: 1, sceneSeconds: 60, voice: MissingVoice))!;
        body["options"]!["aspect"] = "16:9";
        var jobId = await service.SubmitAsync(body.ToJsonString());

        var record = await service.WaitUntilFinishedAsync(jobId);
        await Eventually.WaitUntilAsync(() => Task.FromResult(ProcessTable.CountWorkingIn(service.Folder("cancelled-run")) == 0), "the job's processes to stop");

        Assert.Equal("failed", record.GetProperty("status").GetString());
        var clip = Path.Combine(service.Folder("cancelled-run"), "vid_001.mp4");
        Assert.True(File.Exists(clip), "the clip's encode had not started when the job failed: the test proves nothing");
        // ffmpeg was interrupted: what it wrote is a fraction of the minute it was asked for, or not a video at all.
        var made = await MediaInfo.ProbeAsync(clip).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.Duration : 0);
        Assert.True(made < 59, $"the clip was finished ({made:0.0} s): its encode was not cancelled");
        Assert.Equal("completed", (await service.WaitUntilFinishedAsync(busy)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_job_running_longer_than_the_job_timeout_fails_as_timed_out()
    {
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.worker.job-timeout = 200ms");
        var jobId = await service.SubmitAsync(JobBodies.Simple("slow-run", scenes: 3, sceneSeconds: 20));

        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Equal("timed out: its stages worked on it for 200ms (videoakka.worker.job-timeout)", record.GetProperty("error").GetString());
        Assert.False(File.Exists(Path.Combine(service.Folder("slow-run"), "stitched_subtitled.mp4")));
    }

    [Fact]
    public async Task A_failed_job_frees_its_run_id_for_a_new_submission()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var failing = await service.SubmitAsync(JobBodies.Simple("retry-run", voice: MissingVoice));
        await service.WaitUntilFinishedAsync(failing);

        var again = await service.SubmitAsync(JobBodies.Simple("retry-run"));

        var record = await service.WaitUntilFinishedAsync(again);
        Assert.Equal("completed", record.GetProperty("status").GetString());
        Assert.Equal(0, await service.Redis.Db.ListLengthAsync("video_orchestrator:processing:test-worker"));
    }
}
