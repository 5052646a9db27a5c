using System.Text.Json.Nodes;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Tests.Support;
using VideoAkka.Fakes;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;

namespace VideoAkka.Tests.ComfyUi;

/// <summary>Must show 2: each way a ComfyUI prompt can go wrong fails its job with a message naming the cause, and
/// another job completes meanwhile.</summary>
public sealed class ComfyUiFailureSpecs
{
    private static FakeComfyUiOptions Failing(string marker, FakeBehaviour behaviour) => new()
    {
        Behaviour = s => s.Text.Contains(marker, StringComparison.Ordinal) ? behaviour : new FakeBehaviour.Succeed(),
    };

    [Fact]
    public async Task A_node_validation_error_fails_the_job_naming_the_node_its_class_and_the_reason()
    {
        await using var comfy = await FakeComfyUi.StartAsync(Failing("REFUSE", new FakeBehaviour.ValidationError(
            "3", "value_smaller_than_min", "Value 0 smaller than min of 1", "steps: 0", "steps")));
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var doomed = await service.SubmitAsync(Body("refused-run", Scene("REFUSE this one")));
        var healthy = await service.SubmitAsync(Body("fine-run", Scene("a calm sea")));

        var failed = await service.WaitUntilFinishedAsync(doomed);
        Assert.Equal("failed", Status(failed));
        Assert.Contains("image-gen scene 1", Error(failed));
        Assert.Contains("node 3 (KSampler)", Error(failed));
        Assert.Contains("Value 0 smaller than min of 1", Error(failed));
        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(healthy)));
    }

    [Fact]
    public async Task An_execution_error_fails_the_job_naming_the_node_the_exception_type_and_its_message()
    {
        await using var comfy = await FakeComfyUi.StartAsync(Failing("EXPLODE", new FakeBehaviour.ExecutionError(
            "3", "torch.OutOfMemoryError", "Allocation on device 0 would exceed allowed memory.")));
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var doomed = await service.SubmitAsync(Body("oom-run", Scene("EXPLODE on the GPU")));
        var healthy = await service.SubmitAsync(Body("calm-run", Scene("a calm sea")));

        var failed = await service.WaitUntilFinishedAsync(doomed);
        Assert.Equal("failed", Status(failed));
        Assert.Contains("node 3 (KSampler)", Error(failed));
        Assert.Contains("torch.OutOfMemoryError", Error(failed));
        Assert.Contains("Allocation on device 0 would exceed allowed memory.", Error(failed));
        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(healthy)));
    }

    [Fact]
    public async Task A_prompt_that_never_finishes_is_interrupted_and_fails_its_job_naming_the_scene_and_the_timeout()
    {
        await using var comfy = await FakeComfyUi.StartAsync(Failing("HANG", new FakeBehaviour.Hang()));
        await using var service = await ServiceUnderTest.StartAsync(
            Hocon + "\nvideoakka.comfyui.prompt-timeout = 2s\nvideoakka.comfyui.instances = 2", comfyUiUrl: comfy.Url);

        var doomed = await service.SubmitAsync(Body("hung-run", Scene("HANG forever")));
        var healthy = await service.SubmitAsync(Body("quick-run", Scene("a calm sea")));

        var failed = await service.WaitUntilFinishedAsync(doomed);
        Assert.Equal("failed", Status(failed));
        Assert.Contains("image-gen scene 1", Error(failed));
        Assert.Contains("did not finish within 00:00:02 (videoakka.comfyui.prompt-timeout)", Error(failed));
        var hung = Assert.Single(comfy.Submissions, s => s.Text.Contains("HANG", StringComparison.Ordinal));
        Assert.Contains(hung.PromptId, comfy.Interrupts);
        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(healthy)));
    }

    [Fact]
    public async Task An_instance_refusing_connections_fails_the_job_after_the_retries_naming_it_while_a_job_without_prompts_completes()
    {
        await using var images = await ImageServer.StartAsync();
        var nobody = $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort()}";
        await using var service = await ServiceUnderTest.StartAsync(Hocon + "\nvideoakka.comfyui.retries = 2", comfyUiUrl: nobody);

        var doomed = await service.SubmitAsync(Body("refused-connection-run", Scene("needs a GPU")));
        var given = new JsonObject { ["image_url"] = images.Url + "/pic.png", ["motion"] = "kenburns", ["duration"] = 1 };
        var healthy = await service.SubmitAsync(Body("no-gpu-run", given));

        var failed = await service.WaitUntilFinishedAsync(doomed);
        Assert.Equal("failed", Status(failed));
        Assert.Contains($"ComfyUI at {nobody} is unavailable", Error(failed));
        Assert.Contains("connection refused", Error(failed));
        Assert.Contains("tried 3 times", Error(failed));
        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(healthy)));
    }

    [Fact]
    public async Task An_output_file_that_is_empty_fails_the_job_naming_it()
    {
        await using var comfy = await FakeComfyUi.StartAsync(Failing("EMPTY", new FakeBehaviour.EmptyOutput()));
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var failed = await service.WaitUntilFinishedAsync(await service.SubmitAsync(Body("empty-run", Scene("EMPTY output"))));

        Assert.Equal("failed", Status(failed));
        Assert.Contains("is empty", Error(failed));
    }

    [Fact]
    public async Task A_prompt_without_an_output_file_fails_the_job_saying_so()
    {
        await using var comfy = await FakeComfyUi.StartAsync(Failing("NOTHING", new FakeBehaviour.NoOutput()));
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var failed = await service.WaitUntilFinishedAsync(await service.SubmitAsync(Body("nothing-run", Scene("NOTHING comes out"))));

        Assert.Equal("failed", Status(failed));
        Assert.Contains("without an output file", Error(failed));
    }
}
