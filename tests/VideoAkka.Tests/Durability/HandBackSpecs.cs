using VideoAkka.Fakes;
using VideoAkka.Tests.Support;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;

namespace VideoAkka.Tests.Durability;

/// <summary>Issue 10: a worker that stops in order hands its running jobs back to the queue (no attempt counted), and
/// the worker that takes one resumes it: a part whose file is still good is not made again, one whose file is gone is.</summary>
public sealed class HandBackSpecs
{
    [Fact]
    public async Task A_worker_stopped_in_order_hands_its_job_back_and_the_next_remakes_only_the_clip_whose_file_is_gone()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromMilliseconds(700) });
        var first = await ServiceUnderTest.StartAsync(DurableWorkers.ComfyHocon, redis: redis, comfyUiUrl: comfy.Url, workerId: "stopping");
        var jobId = await first.SubmitAsync(Body("handback-run", Scene("scene alpha"), Scene("scene bravo"), Scene("scene charlie")));
        var made = await Eventually.WaitForAsync(async () =>
        {
            var clips = await JobJournal.ScenesAsync(redis.Db, jobId, "clip_ready");
            return clips.Count >= 2 ? clips : null;
        }, "two clips to be journaled");
        var dataRoot = first.DataRoot;

        await first.DisposeAsync();

        Assert.True((await redis.Db.ListRangeAsync("video_orchestrator:queue")).Select(v => v.ToString()).Contains(jobId),
            string.Join("\n", await redis.KeysAsync()) + "\n" + await redis.Db.StringGetAsync($"video_orchestrator:job:{jobId}"));
        Assert.False((await redis.Db.SortedSetScoreAsync("video_orchestrator:leases", jobId)).HasValue);
        Assert.False(await redis.Db.HashExistsAsync("video_orchestrator:attempts", jobId));
        var folder = Path.Combine(dataRoot, "handback-run");
        var (gone, kept) = (made[0], made[1]);
        File.Delete(Path.Combine(folder, $"vid_{gone:000}.mp4"));
        var keptStamp = File.GetLastWriteTimeUtc(Path.Combine(folder, $"vid_{kept:000}.mp4"));

        await using var second = await ServiceUnderTest.StartAsync(DurableWorkers.ComfyHocon, redis: redis, dataRoot: dataRoot,
            comfyUiUrl: comfy.Url, workerId: "resuming");
        var record = await second.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", DurableWorkers.Status(record));
        Assert.Equal(keptStamp, File.GetLastWriteTimeUtc(Path.Combine(folder, $"vid_{kept:000}.mp4")));
        Assert.Equal(1, Prompts(comfy, kept, IsClip));
        Assert.Equal(2, Prompts(comfy, gone, IsClip));
        Assert.Equal(1, Prompts(comfy, gone, IsImage)); // its image is still good
        Assert.True(File.Exists(Path.Combine(folder, $"vid_{gone:000}.mp4")));
    }

    private static int Prompts(FakeComfyUi comfy, int scene, Func<FakeSubmission, bool> kind)
    {
        var name = new[] { "", "alpha", "bravo", "charlie" }[scene];
        return comfy.Submissions.Count(s => kind(s) && s.Text.Contains($"scene {name}", StringComparison.Ordinal));
    }
}
