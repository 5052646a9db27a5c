using VideoAkka.Tests.Support;
using VideoAkka.Fakes;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;

namespace VideoAkka.Tests.ComfyUi;

/// <summary>Must show 4: prompts are spread over several instances within each one's capacity, and an instance that
/// dies mid-run has its prompts finished by the others.</summary>
public sealed class ComfyUiSchedulingSpecs
{
    [Fact]
    public async Task Two_instances_of_capacity_1_never_hold_more_than_one_of_our_prompts_each_and_both_are_used()
    {
        await using var a = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromMilliseconds(400) });
        await using var b = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromMilliseconds(400) });
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: $"{a.Url},{b.Url}");

        var jobs = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            jobs.Add(await service.SubmitAsync(Body($"spread-{i}", Scene($"job {i} scene 1"), Scene($"job {i} scene 2"))));
        }
        foreach (var job in jobs)
        {
            Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(job)));
        }

        Assert.Equal(1, a.MaxInFlight);
        Assert.Equal(1, b.MaxInFlight);
        Assert.NotEmpty(a.Submissions);
        Assert.NotEmpty(b.Submissions);
        Assert.Equal(12, a.Submissions.Count + b.Submissions.Count);
    }

    [Fact]
    public async Task When_an_instance_is_killed_mid_run_its_prompts_finish_on_the_other()
    {
        await using var a = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromSeconds(1) });
        await using var b = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromMilliseconds(300) });
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: $"{a.Url},{b.Url}");

        var jobs = new List<string>();
        for (var i = 1; i <= 2; i++)
        {
            jobs.Add(await service.SubmitAsync(Body($"survive-{i}", Scene($"job {i} scene 1"), Scene($"job {i} scene 2"))));
        }
        await Eventually.WaitUntilAsync(() => Task.FromResult(a.Running > 0), "a prompt to run on the first instance");
        var lost = a.Submissions[^1];
        await a.StopAsync();

        foreach (var job in jobs)
        {
            Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(job)));
        }
        var lostText = lost.Graph.GetProperty("6").GetProperty("inputs").GetProperty("text").GetString();
        var lostKind = IsClip(lost);
        Assert.Contains(b.Submissions, s => IsClip(s) == lostKind && s.Graph.GetProperty("6").GetProperty("inputs").GetProperty("text").GetString() == lostText);
    }

    [Fact]
    public async Task A_prompt_lost_to_a_comfyui_restart_is_noticed_and_run_again_once_the_instance_answers()
    {
        var options = new FakeComfyUiOptions { Latency = TimeSpan.FromSeconds(2) };
        var first = await FakeComfyUi.StartAsync(options);
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: first.Url);

        var jobId = await service.SubmitAsync(Body("restart-run", Scene("a fox in snow")));
        await Eventually.WaitUntilAsync(() => Task.FromResult(first.Running > 0), "the image prompt to run");
        var lost = first.Submissions[0];
        await first.DisposeAsync();
        await using var restarted = await FakeComfyUi.StartAsync(options, first.Port); // in-memory queue and history are gone

        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(jobId)));
        var again = restarted.Submissions.First(ComfyUiJobs.IsImage);
        Assert.NotEqual(lost.PromptId, again.PromptId);
        Assert.Equal(lost.Graph.GetProperty("6").GetProperty("inputs").GetProperty("text").GetString(),
            again.Graph.GetProperty("6").GetProperty("inputs").GetProperty("text").GetString());
    }
}
