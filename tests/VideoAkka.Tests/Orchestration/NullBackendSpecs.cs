using VideoAkka.Host;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Tests.Durability;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Orchestration;

/// <summary>Issue 14: the null backend (videoakka.generation.backend = null), which the orchestration benchmarks run
/// on. It makes no video, but a job on it goes through every stage of the graph with the durable-jobs guarantees on:
/// leased, its events journaled, its record written, completed. It is chosen only by name, and says so at startup.</summary>
public sealed class NullBackendSpecs
{
    private const string NullHocon = DurableWorkers.DraftHocon + "\nvideoakka.generation.backend = null\n";

    [Fact]
    public async Task A_job_on_the_null_backend_completes_through_every_stage_with_its_events_journaled_and_the_worker_log_names_the_backend()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(NullHocon, role: ServiceRole.Api, redis: redis);
        await using var worker = WorkerProcess.Start(redis.Url, api.DataRoot, NullHocon);
        await worker.WaitUntilRunningAsync();

        var jobId = await api.SubmitAsync(JobBodies.Simple("null-run", scenes: 2, voiceover: true));
        var record = await api.WaitUntilFinishedAsync(jobId);

        Assert.True(DurableWorkers.Status(record) == "completed", $"{record}\n--- worker ---\n{worker.Log}");
        Assert.Contains("null backend: no video is made", worker.Log);
        Assert.Contains("generator null", worker.Log);
        // Journaled like any job (this hocon keeps completed journals).
        Assert.Equal(1, await JobJournal.CountAsync(redis.Db, jobId, "job_started"));
        Assert.Equal([1, 2], await JobJournal.ScenesAsync(redis.Db, jobId, "clip_ready"));
        Assert.Equal(1, await JobJournal.CountAsync(redis.Db, jobId, "voiceover_ready"));
        Assert.Equal(1, await JobJournal.CountAsync(redis.Db, jobId, "rendered"));
        Assert.Equal(1, await JobJournal.CountAsync(redis.Db, jobId, "completed"));
        // Its lease ended with it, and every stage left its placeholder (image and clip per scene, voiceover,
        // subtitles, video), never media.
        Assert.False(await redis.Db.HashExistsAsync("video_orchestrator:lease_holders", jobId));
        var folder = new JobFolder(api.Folder("null-run"));
        foreach (var file in new[] { folder.Image(1), folder.Video(1), folder.Image(2), folder.Video(2), folder.Voiceover, folder.Captions, folder.FinalVideo })
        {
            Assert.StartsWith("videoakka null backend", await File.ReadAllTextAsync(file));
        }
        Assert.Equal("skip", record.GetProperty("qc").GetProperty("checks")[0].GetProperty("result").GetString());
    }

    [Fact]
    public async Task An_unknown_backend_stops_the_start_naming_the_setting()
    {
        var data = Directory.CreateTempSubdirectory("videoakka-startup-").FullName;
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => VideoAkkaApp.BuildAsync(new ServiceOptions
        {
            RedisUrl = "redis://127.0.0.1:1",
            DataRoot = data,
            HoconOverrides = "videoakka.generation.backend = nul",
        }));

        Assert.Contains("videoakka.generation.backend", refused.Message);
        Assert.Contains("\"nul\"", refused.Message);
    }
}
