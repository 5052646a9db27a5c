using System.Text.Json.Nodes;
using VideoAkka.Fakes;
using VideoAkka.Tests.Support;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11: each stage bounds one unit of its work (videoakka.stages.*.timeout), and the job timeout counts
/// only the time its stages work on it, not the time its parts wait for a busy stage.</summary>
public sealed class TimeoutSpecs
{
    private static JsonNode PanScene(string image) => new JsonObject { ["image"] = image, ["duration"] = 1, ["motion"] = "kenburns" };

    [Fact]
    public async Task A_scene_image_running_past_the_image_gen_timeout_fails_its_job_naming_the_stage_and_the_limit_and_its_prompt_is_interrupted()
    {
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions
        {
            Parallel = 2, // the healthy prompt does not queue behind the hung one
            Behaviour = s => s.Text.Contains("HANG", StringComparison.Ordinal) ? new FakeBehaviour.Hang() : new FakeBehaviour.Succeed(),
        });
        await using var service = await ServiceUnderTest.StartAsync(
            Hocon + "\nvideoakka.stages.image-gen.timeout = 5s\nvideoakka.comfyui.instances = 2", comfyUiUrl: comfy.Url);

        var doomed = await service.SubmitAsync(Body("stage-timeout-run", Scene("HANG forever")));
        var healthy = await service.SubmitAsync(Body("stage-quick-run", Scene("a calm sea")));

        var failed = await service.WaitUntilFinishedAsync(doomed);
        Assert.Equal("failed", Status(failed));
        Assert.Equal("image-gen scene 1: timed out after 5s (videoakka.stages.image-gen.timeout)", Error(failed));
        var hung = Assert.Single(comfy.Submissions, s => s.Text.Contains("HANG", StringComparison.Ordinal));
        await Eventually.WaitUntilAsync(() => Task.FromResult(comfy.Interrupts.Contains(hung.PromptId)), "the hung prompt to be interrupted");
        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(healthy)));
    }

    [Fact]
    public async Task A_job_whose_stages_work_on_it_longer_than_the_job_timeout_fails_naming_the_limit()
    {
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Behaviour = _ => new FakeBehaviour.Hang() });
        await using var service = await ServiceUnderTest.StartAsync(Hocon + "\nvideoakka.worker.job-timeout = 1500ms", comfyUiUrl: comfy.Url);

        var failed = await service.WaitUntilFinishedAsync(await service.SubmitAsync(Body("job-timeout-run", Scene("HANG forever"))));

        Assert.Equal("failed", Status(failed));
        Assert.Equal("timed out: its stages worked on it for 1500ms (videoakka.worker.job-timeout)", Error(failed));
    }

    [Fact]
    public async Task Time_spent_waiting_for_a_busy_stage_does_not_count_towards_the_job_timeout()
    {
        // One image at a time, two seconds each: the fifth job waits eight seconds for the stage before its own two,
        // longer than its whole timeout, while its stages work on it for about three.
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromSeconds(2) });
        await using var service = await ServiceUnderTest.StartAsync(
            Hocon + "\nvideoakka.worker.job-timeout = 7s\nvideoakka.stages.image-gen.parallelism = 1\nvideoakka.worker.max-jobs-in-flight = 5",
            comfyUiUrl: comfy.Url);

        var jobs = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            jobs.Add(await service.SubmitAsync(Body($"waiting-run-{i}", PanScene($"scene of job {i}"))));
        }

        foreach (var job in jobs)
        {
            var finished = await service.WaitUntilFinishedAsync(job);
            Assert.True(Status(finished) == "completed", $"job {job}: {Error(finished)}");
        }
        var last = await service.StatusAsync(jobs[^1]);
        var waited = DateTimeOffset.Parse(last.GetProperty("finished_at").GetString()!) - DateTimeOffset.Parse(last.GetProperty("started_at").GetString()!);
        Assert.True(waited > TimeSpan.FromSeconds(7), $"the last job ran {waited} from its start: it never waited past the timeout, so this shows nothing");
    }

    [Fact]
    public async Task Time_a_scene_waits_for_a_gpu_slot_does_not_count_towards_its_stage_timeout()
    {
        // Three images in the stage at once, one GPU slot, two seconds a prompt: the third waits four seconds for the
        // GPU inside the stage, past the stage's three, then runs its own two.
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromSeconds(2) });
        await using var service = await ServiceUnderTest.StartAsync(
            Hocon + "\nvideoakka.comfyui.instances = 1\nvideoakka.stages.image-gen.parallelism = 3\nvideoakka.stages.image-gen.timeout = 3s",
            comfyUiUrl: comfy.Url);

        var jobs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(await service.SubmitAsync(Body($"slot-wait-run-{i}", PanScene($"scene of job {i}"))));
        }

        foreach (var job in jobs)
        {
            var finished = await service.WaitUntilFinishedAsync(job);
            Assert.True(Status(finished) == "completed", $"job {job}: {Error(finished)}");
        }
        Assert.Equal(3, comfy.Submissions.Count(IsImage));
    }
}
