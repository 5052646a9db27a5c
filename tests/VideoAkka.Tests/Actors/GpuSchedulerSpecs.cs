using Akka.TestKit.Xunit2;
using VideoAkka.Pipeline.Generation.ComfyUi;

namespace VideoAkka.Tests.Actors;

/// <summary>The GPU scheduler alone, on a real actor system: capacity, affinity, withdrawal and the rotation.</summary>
public sealed class GpuSchedulerSpecs : TestKit
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    /// <summary>Which instances the health probe finds down; the probe reads it on every round.</summary>
    private volatile bool[] _down = [false, false];

    private GpuScheduler Scheduler(params int[] capacities)
    {
        _down = new bool[capacities.Length];
        var instances = capacities.Select((c, i) => new ComfyUiInstance(i, new Uri($"http://gpu-{i}:8188/"), c)).ToList();
        var actor = Sys.ActorOf(GpuSchedulerActor.Props(instances, (instance, _) =>
            _down[instance.Index] ? Task.FromException(new InvalidOperationException("connection refused")) : Task.CompletedTask,
            TimeSpan.FromMilliseconds(100)));
        return new GpuScheduler(actor);
    }

    [Fact]
    public async Task A_request_waits_while_every_instance_is_full_and_gets_the_first_slot_released()
    {
        var scheduler = Scheduler(1, 1);
        var first = await scheduler.AcquireAsync("image", default);
        var second = await scheduler.AcquireAsync("image", default);
        var third = scheduler.AcquireAsync("image", default);

        await Task.Delay(300);
        Assert.False(third.IsCompleted);
        Assert.NotEqual(first.Instance, second.Instance);

        scheduler.Release(second);
        Assert.Equal(second.Instance, (await third.WaitAsync(Soon)).Instance);
    }

    [Fact]
    public async Task An_instance_never_holds_more_slots_than_its_capacity()
    {
        var scheduler = Scheduler(2, 1);
        var slots = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => scheduler.AcquireAsync("image", default)));
        var waiting = scheduler.AcquireAsync("image", default);

        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(2, slots.Count(s => s.Instance == 0));
        var stats = await scheduler.StatsAsync(default);
        Assert.Equal([2, 1], stats.Instances.Select(i => i.MaxInFlight));
    }

    [Fact]
    public async Task A_free_instance_that_last_ran_the_same_workflow_is_preferred()
    {
        var scheduler = Scheduler(1, 1);
        var image = await scheduler.AcquireAsync("image", default);
        var video = await scheduler.AcquireAsync("image2video", default);
        scheduler.Release(image);
        scheduler.Release(video);
        await Task.Delay(100);

        var next = await scheduler.AcquireAsync("image2video", default);

        Assert.Equal(video.Instance, next.Instance);
    }

    [Fact]
    public async Task Affinity_never_makes_a_request_wait_while_another_instance_is_free()
    {
        var scheduler = Scheduler(1, 1);
        var image = await scheduler.AcquireAsync("image", default);
        var video = await scheduler.AcquireAsync("image2video", default);
        scheduler.Release(video);
        await Task.Delay(100);

        var another = await scheduler.AcquireAsync("image", default).WaitAsync(Soon);

        Assert.Equal(video.Instance, another.Instance);
        var stats = await scheduler.StatsAsync(default);
        Assert.Equal(1, stats.Instances[video.Instance].ModelSwitches);
        Assert.NotEqual(image.Instance, another.Instance);
    }

    [Fact]
    public async Task A_cancelled_wait_takes_no_slot_from_the_requests_behind_it()
    {
        var scheduler = Scheduler(1);
        var held = await scheduler.AcquireAsync("image", default);
        using var cancel = new CancellationTokenSource();
        var abandoned = scheduler.AcquireAsync("image", cancel.Token);
        var behind = scheduler.AcquireAsync("image", default);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        scheduler.Release(held);

        Assert.Equal(0, (await behind.WaitAsync(Soon)).Instance);
    }

    [Fact]
    public async Task An_unavailable_instance_leaves_the_rotation_and_requests_go_to_the_others()
    {
        var scheduler = Scheduler(1, 1);
        _down[0] = true;
        var slot = await scheduler.AcquireAsync("image", default);
        var other = slot.Instance == 0 ? await scheduler.AcquireAsync("image", default) : slot;
        if (other != slot)
        {
            scheduler.ReportUnavailable(slot, "connection refused");
        }
        else
        {
            await AwaitAssertAsync(async () => Assert.False((await scheduler.StatsAsync(default)).Instances[0].Up), Soon);
        }
        scheduler.Release(other);

        var slots = new List<GpuSlot>();
        for (var i = 0; i < 3; i++)
        {
            var next = await scheduler.AcquireAsync("image", default).WaitAsync(Soon);
            slots.Add(next);
            scheduler.Release(next);
        }

        Assert.All(slots, s => Assert.Equal(1, s.Instance));
    }

    [Fact]
    public async Task With_no_instance_up_a_request_fails_at_once_naming_the_reason()
    {
        var scheduler = Scheduler(1);
        var slot = await scheduler.AcquireAsync("image", default);
        _down[0] = true;
        scheduler.ReportUnavailable(slot, "WebSocket /ws failed: connection refused");

        var refused = await Assert.ThrowsAsync<ComfyUiUnavailableException>(() => scheduler.AcquireAsync("image", default).WaitAsync(Soon));

        Assert.Contains("connection refused", refused.Message);
    }

    [Fact]
    public async Task An_instance_whose_probe_answers_again_rejoins_the_rotation()
    {
        var scheduler = Scheduler(1);
        _down[0] = true;
        await AwaitAssertAsync(async () => Assert.False((await scheduler.StatsAsync(default)).Instances[0].Up), Soon);

        _down[0] = false;

        await AwaitAssertAsync(async () => Assert.True((await scheduler.StatsAsync(default)).Instances[0].Up), Soon);
        Assert.Equal(0, (await scheduler.AcquireAsync("image", default).WaitAsync(Soon)).Instance);
    }

    [Fact]
    public async Task A_later_request_for_the_model_a_freed_instance_has_loaded_goes_first()
    {
        var scheduler = Scheduler(1, 1);
        var image = await scheduler.AcquireAsync("image", default);
        var clip = await scheduler.AcquireAsync("image2video", default);
        var clipWaiting = scheduler.AcquireAsync("image2video", default);
        await Task.Delay(100);
        var imageWaiting = scheduler.AcquireAsync("image", default);
        await Task.Delay(100);

        scheduler.Release(image);

        Assert.Equal(image.Instance, (await imageWaiting.WaitAsync(Soon)).Instance);
        Assert.False(clipWaiting.IsCompleted);
        scheduler.Release(clip);
        Assert.Equal(clip.Instance, (await clipWaiting.WaitAsync(Soon)).Instance);
        Assert.All((await scheduler.StatsAsync(default)).Instances, i => Assert.Equal(0, i.ModelSwitches));
    }

    [Fact]
    public async Task The_head_of_the_queue_is_passed_over_for_affinity_only_a_bounded_number_of_times()
    {
        var scheduler = Scheduler(1, 1);
        var image = await scheduler.AcquireAsync("image", default);
        await scheduler.AcquireAsync("image2video", default); // the other instance stays busy throughout
        var clipWaiting = scheduler.AcquireAsync("image2video", default);
        await Task.Delay(100);
        var imagesWaiting = new List<Task<GpuSlot>>();
        for (var i = 0; i < 6; i++)
        {
            imagesWaiting.Add(scheduler.AcquireAsync("image", default));
        }
        await Task.Delay(100);

        var served = 0;
        var slot = image;
        while (!clipWaiting.IsCompleted)
        {
            scheduler.Release(slot);
            // The served ones are removed below; a grant may complete before WhenAny looks, so no IsCompleted filter.
            var next = await Task.WhenAny([.. imagesWaiting, clipWaiting]).WaitAsync(Soon);
            if (next == clipWaiting)
            {
                break;
            }
            slot = await next;
            imagesWaiting.Remove(next);
            served++;
        }

        Assert.Equal(4, served); // then the waiting clip request got the image instance, a model switch
        Assert.Equal(image.Instance, (await clipWaiting).Instance);
    }
}
