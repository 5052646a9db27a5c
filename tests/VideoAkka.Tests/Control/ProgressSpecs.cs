using System.Text.Json;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11 (retention): progress is reported twice a second, and the record carries a payload of up to
/// 1 MiB, so progress goes to a small hash of its own (video_orchestrator:progress:{job_id}) and the status endpoint
/// merges it into the record as read.</summary>
public sealed class ProgressSpecs
{
    [Fact]
    public async Task A_running_job_reports_progress_through_its_small_key_while_its_stored_record_is_written_once()
    {
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.worker.progress-interval = 50ms");
        // 30 s scenes: the job runs for seconds even on a fast idle machine, long enough to be sampled several times.
        var jobId = await service.SubmitAsync(JobBodies.Simple("progress-run", scenes: 3, sceneSeconds: 30));
        var recordKey = $"video_orchestrator:job:{jobId}";
        var progressKey = $"video_orchestrator:progress:{jobId}";

        var storedWhileRunning = new HashSet<string>();
        var reported = new List<double>();
        var progressKeySeen = false;
        await Eventually.WaitUntilAsync(async () =>
        {
            var stored = (string)(await service.Redis.Db.StringGetAsync(recordKey))!;
            var status = await service.StatusAsync(jobId);
            if (status.GetProperty("status").GetString() != "running")
            {
                return status.GetProperty("status").GetString() is "completed" or "failed";
            }
            if (JsonDocument.Parse(stored).RootElement.GetProperty("status").GetString() == "running")
            {
                storedWhileRunning.Add(stored);
            }
            progressKeySeen |= await service.Redis.Db.KeyExistsAsync(progressKey);
            reported.Add(status.GetProperty("progress").GetDouble());
            await Task.Delay(20);
            return false;
        }, "the job to finish", interval: TimeSpan.FromMilliseconds(20));

        Assert.Equal("completed", (await service.StatusAsync(jobId)).GetProperty("status").GetString());
        Assert.True(progressKeySeen, "no progress was ever written to its own key");
        Assert.Single(storedWhileRunning); // the running record, written once at the start
        Assert.True(reported.Distinct().Count() >= 3, $"the status endpoint showed too little progress: {string.Join(", ", reported.Distinct())}");
        Assert.Equal(reported.Order(), reported); // never backwards
        Assert.False(await service.Redis.Db.KeyExistsAsync(progressKey)); // gone with the terminal write
    }

    [Fact]
    public async Task A_job_that_ends_within_one_progress_interval_writes_no_progress_its_terminal_write_carries_it()
    {
        // Stage changes too wait for the interval (issue 14: fewer writes a job); a job done inside it writes its
        // queued, running and terminal states and nothing between.
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.worker.progress-interval = 1h");
        var jobId = await service.SubmitAsync(JobBodies.Simple("one-interval-run", scenes: 2));

        var record = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal(("completed", "done", 1.0), (record.GetProperty("status").GetString(), record.GetProperty("stage").GetString(), record.GetProperty("progress").GetDouble()));
        var updates = (await service.Redis.Db.StreamRangeAsync("video_orchestrator:updates")).Where(e => e["job_id"] == jobId)
            .Select(e => JsonDocument.Parse((string)e["update"]!).RootElement.GetProperty("status").GetString()!).ToArray();
        Assert.Equal(["queued", "running", "completed"], updates);
    }
}
