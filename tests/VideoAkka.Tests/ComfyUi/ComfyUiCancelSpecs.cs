using System.Text.Json.Nodes;
using VideoAkka.Tests.Support;
using VideoAkka.Fakes;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;

namespace VideoAkka.Tests.ComfyUi;

/// <summary>Must show 3: a job that fails elsewhere takes its prompts back from ComfyUI.</summary>
public sealed class ComfyUiCancelSpecs
{
    [Fact]
    public async Task A_job_failing_elsewhere_deletes_its_queued_prompt_and_interrupts_its_running_one()
    {
        // ComfyUI runs one prompt at a time; with capacity 2 the job's first image prompt runs and its second waits in
        // ComfyUI's queue. Its third scene's image_url then answers 404 after a pause: the job fails elsewhere.
        // A 5 s pause: both prompts are posted to ComfyUI before the failure, even on a loaded machine.
        await using var images = await ImageServer.StartAsync(slowDelay: TimeSpan.FromSeconds(5));
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Behaviour = _ => new FakeBehaviour.Hang() });
        await using var service = await ServiceUnderTest.StartAsync(
            Hocon + "\nvideoakka.comfyui.instances = 2\nvideoakka.stages.image-gen.parallelism = 3", comfyUiUrl: comfy.Url);
        var broken = new JsonObject { ["image_url"] = images.Url + "/slow-404", ["motion"] = "kenburns", ["duration"] = 1 };

        var jobId = await service.SubmitAsync(Body("cancel-run", Scene("first, running"), Scene("second, queued"), broken));
        var failed = await service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("failed", Status(failed));
        Assert.Contains("image_url answered 404", Error(failed));
        Assert.Equal(2, comfy.Submissions.Count);
        var running = comfy.Submissions.Single(s => s.Text.Contains("first, running", StringComparison.Ordinal));
        var queued = comfy.Submissions.Single(s => s.Text.Contains("second, queued", StringComparison.Ordinal));
        await Eventually.WaitUntilAsync(() => Task.FromResult(comfy.Interrupts.Contains(running.PromptId) && comfy.DeletedPromptIds.Contains(queued.PromptId)),
            "the interrupt of the running prompt and the deletion of the queued one");
        Assert.DoesNotContain(null, comfy.Interrupts); // never a global interrupt: other clients' prompts are not ours to stop
        await Eventually.WaitUntilAsync(() => Task.FromResult(comfy.InFlight == 0), "ComfyUI to hold none of the job's prompts");
    }
}
