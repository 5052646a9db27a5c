using VideoAkka.Fakes;
using VideoAkka.Host;
using VideoAkka.Tests.Support;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;

namespace VideoAkka.Tests.Durability;

/// <summary>
/// Issue 10: worker processes really killed (SIGKILL) mid-job, on a real redis-server. A job is never lost or stuck:
/// another worker, with another id, resumes it from its events and makes only what is missing.
/// </summary>
public sealed class WorkerKillSpecs
{
    [Fact]
    public async Task A_worker_killed_mid_job_is_replaced_by_another_that_finishes_it_without_making_its_clips_again()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromMilliseconds(900) });
        await using var api = await ServiceUnderTest.StartAsync(DurableWorkers.ComfyHocon, role: ServiceRole.Api, redis: redis);
        var first = WorkerProcess.Start(redis.Url, api.DataRoot, DurableWorkers.ComfyHocon, comfy.Url);
        await using var _ = first;
        var jobId = await api.SubmitAsync(Body("kill-run", Scene("scene alpha"), Scene("scene bravo"), Scene("scene charlie"), Scene("scene delta")));

        var madeBeforeKill = await Eventually.WaitForAsync(async () =>
        {
            var clips = await JobJournal.ScenesAsync(redis.Db, jobId, "clip_ready");
            return clips.Count >= 1 ? clips : null;
        }, "a clip to be journaled");
        await first.KillAsync();
        var folder = api.Folder("kill-run");
        var stamps = madeBeforeKill.ToDictionary(scene => scene, scene => File.GetLastWriteTimeUtc(Path.Combine(folder, $"vid_{scene:000}.mp4")));

        await using var second = WorkerProcess.Start(redis.Url, api.DataRoot, DurableWorkers.ComfyHocon, comfy.Url);
        var record = await api.WaitUntilFinishedAsync(jobId);

        Assert.True(DurableWorkers.Status(record) == "completed", $"{record}\n--- first worker ---\n{first.Log}\n--- second worker ---\n{second.Log}");
        foreach (var (scene, stamp) in stamps)
        {
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(folder, $"vid_{scene:000}.mp4")));
            var name = new[] { "", "alpha", "bravo", "charlie", "delta" }[scene];
            Assert.Equal(1, comfy.Submissions.Count(s => IsClip(s) && s.Text.Contains($"scene {name}", StringComparison.Ordinal)));
            Assert.Equal(1, comfy.Submissions.Count(s => IsImage(s) && s.Text.Contains($"scene {name}", StringComparison.Ordinal)));
        }
        Assert.Equal(2, await JobJournal.CountAsync(redis.Db, jobId, "job_started"));
        Assert.Equal(1, await JobJournal.CountAsync(redis.Db, jobId, "completed"));
        var reused = System.Text.RegularExpressions.Regex.Match(second.Log, @"resumed: .* reusing (\d+) image\(s\), (\d+) clip\(s\)");
        Assert.True(reused.Success, second.Log);
        Assert.True(int.Parse(reused.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) >= stamps.Count, reused.Value);
    }

    [Fact]
    public async Task Three_jobs_survive_two_kills_at_random_points_each_completing_once_with_its_run_id_free_again()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(DurableWorkers.DraftHocon, role: ServiceRole.Api, redis: redis);
        var runIds = new[] { "chaos-a", "chaos-b", "chaos-c" };
        var jobIds = new List<string>();
        foreach (var runId in runIds)
        {
            jobIds.Add(await api.SubmitAsync(JobBodies.Simple(runId, scenes: 3)));
        }
        var random = new Random();
        var logs = new List<string>();

        for (var kill = 0; kill < 2; kill++)
        {
            await using var doomed = WorkerProcess.Start(redis.Url, api.DataRoot, DurableWorkers.DraftHocon);
            await doomed.WaitUntilRunningAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 2500)));
            await doomed.KillAsync();
            logs.Add(doomed.Log);
        }
        await using var survivor = WorkerProcess.Start(redis.Url, api.DataRoot, DurableWorkers.DraftHocon);
        foreach (var jobId in jobIds)
        {
            var record = await api.WaitUntilFinishedAsync(jobId);
            Assert.True(DurableWorkers.Status(record) == "completed", $"{record}\n{string.Join("\n---\n", logs)}\n---\n{survivor.Log}");
        }

        foreach (var jobId in jobIds)
        {
            Assert.Equal(1, await JobJournal.CountAsync(redis.Db, jobId, "completed"));
        }
        foreach (var runId in runIds)
        {
            Assert.False(await redis.Db.KeyExistsAsync($"video_orchestrator:run:{runId}"));
        }
        Assert.Equal(0, await redis.Db.ListLengthAsync("video_orchestrator:dead_letter"));
        var again = await api.SubmitAsync(JobBodies.Simple("chaos-a", scenes: 1));
        Assert.DoesNotContain(again, jobIds);
    }

    [Fact]
    public async Task A_job_whose_worker_dies_every_time_ends_in_the_dead_letter_after_max_attempts_with_the_reason()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(DurableWorkers.DraftHocon, role: ServiceRole.Api, redis: redis);
        // Its voice never finishes on the doomed workers: the job is still running whenever its worker is killed, and
        // a resumed attempt cannot finish from what an earlier one made, however fast the machine.
        var hanging = DurableWorkers.DraftHocon + HangingVoice.EspeakAlways(Path.Combine(api.DataRoot, "..", "tools"));
        var jobId = await api.SubmitAsync(JobBodies.Simple("poison-run", scenes: 2));

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await using var doomed = WorkerProcess.Start(redis.Url, api.DataRoot, hanging);
            await Eventually.WaitUntilAsync(async () =>
                await JobJournal.CountAsync(redis.Db, jobId, "job_started") == attempt, $"attempt {attempt} to start", TimeSpan.FromSeconds(60));
            await doomed.KillAsync();
        }
        await using var reaper = WorkerProcess.Start(redis.Url, api.DataRoot, DurableWorkers.DraftHocon);
        var record = await api.WaitUntilFinishedAsync(jobId);

        Assert.Equal("failed", DurableWorkers.Status(record));
        Assert.StartsWith("worker lost 3 times", record.GetProperty("error").GetString());
        var deadLetter = System.Text.Json.JsonDocument.Parse((string)(await redis.Db.ListGetByIndexAsync("video_orchestrator:dead_letter", 0))!).RootElement;
        Assert.Equal(jobId, deadLetter.GetProperty("job_id").GetString());
        Assert.StartsWith("worker lost 3 times", deadLetter.GetProperty("error").GetString());
        Assert.Equal(3, await JobJournal.CountAsync(redis.Db, jobId, "job_started"));
        Assert.False(await redis.Db.KeyExistsAsync("video_orchestrator:run:poison-run"));
    }

    [Fact]
    public async Task A_tool_started_by_a_killed_worker_dies_with_it_and_writes_no_more_into_the_job_folder()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(DurableWorkers.DraftHocon, role: ServiceRole.Api, redis: redis);
        // A voice engine that works silently for a minute: nothing it writes to a pipe would make it notice its
        // parent is gone (ffmpeg writing its progress would die of SIGPIPE anyway).
        var silentTool = Path.Combine(Directory.CreateTempSubdirectory("videoakka-tool-").FullName, "slow-espeak-ng");
        await File.WriteAllTextAsync(silentTool, "#!/bin/sh\nexec sleep 60\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(silentTool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await using var worker = WorkerProcess.Start(redis.Url, api.DataRoot, DurableWorkers.DraftHocon + $"\nvideoakka.tools.espeak-ng = \"{silentTool}\"");
        await api.SubmitAsync(JobBodies.Simple("orphan-run", scenes: 1));
        var folder = api.Folder("orphan-run");
        await Eventually.WaitUntilAsync(() => Task.FromResult(Directory.Exists(folder) && ProcessTable.CountWorkingIn(folder) > 0),
            "the voice engine to run in the job folder", TimeSpan.FromSeconds(60));

        await worker.KillAsync();

        await Eventually.WaitUntilAsync(() => Task.FromResult(ProcessTable.CountWorkingIn(folder) == 0),
            "the killed worker's tools to die with it", TimeSpan.FromSeconds(5));
    }
}
