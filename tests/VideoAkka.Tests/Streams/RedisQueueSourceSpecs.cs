using Akka.Streams;
using Akka.Streams.Dsl;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Tests.Support;
using Xunit.Abstractions;

namespace VideoAkka.Tests.Streams;

public sealed class RedisQueueSourceSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IAsyncLifetime
{
    private const string Queue = "video_orchestrator:queue";
    private const string Processing = "video_orchestrator:processing:spec-worker";
    private static readonly TimeSpan BlockTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private static readonly QueueSettings Settings = new(RedisKeys.Default, "spec-worker", BlockTimeout, TimeSpan.FromSeconds(15));

    private TestRedis _redis = null!;
    private ConnectionMultiplexer _blocking = null!;

    private IDatabase Db => _redis.Db;

    /// <summary>The put-back writes the stages handed over: prefetch 1 takes nothing ahead, so none is expected.</summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<Task> _putBacks = [];

    public async Task InitializeAsync()
    {
        _redis = await TestRedis.StartAsync();
        _blocking = await ConnectionMultiplexer.ConnectAsync(RedisUrl.ForBlocking(RedisUrl.Parse(_redis.Url), BlockTimeout));
    }

    public async Task DisposeAsync()
    {
        await Sys.Terminate();
        await _blocking.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private Source<string, Akka.NotUsed> QueueSource(int capacity = 16) => QueueSource(Admission(capacity));

    private Source<string, Akka.NotUsed> QueueSource(JobAdmission admission) =>
        Source.FromGraph(new RedisQueueSource(_blocking, Settings, admission, prefetch: 1, onPutBack: _putBacks.Add));

    private static JobAdmission Admission(int capacity) => new(capacity);

    /// <summary>As a producer does: LPUSH, so the oldest is at the right, where the worker pops.</summary>
    private async Task EnqueueAsync(params string[] jobIds)
    {
        foreach (var jobId in jobIds)
        {
            await Db.ListLeftPushAsync(Queue, jobId);
        }
    }

    private async Task<string[]> RangeAsync(string key) => [.. (await Db.ListRangeAsync(key)).Select(v => v.ToString())];

    /// <summary>Source -> Sink.Queue holding at most one element: the sink pulls once on start and then only after
    /// each PullAsync.</summary>
    private ISinkQueue<string> RunIntoSinkQueue(Source<string, Akka.NotUsed> source) =>
        source.RunWith(Sink.Queue<string>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Sys.Materializer());

    private Task UntilAsync(Func<Task<bool>> probe, string what) => Eventually.WaitUntilAsync(probe, what, Guard);

    [Fact]
    public async Task Jobs_come_out_in_the_order_they_were_queued()
    {
        await EnqueueAsync("a", "b", "c");

        var jobs = await QueueSource().Take(3).RunWith(Sink.Seq<string>(), Sys.Materializer()).WaitAsync(Guard);

        Assert.Equal(["a", "b", "c"], jobs.ToArray());
    }

    [Fact]
    public async Task A_popped_job_is_moved_from_the_queue_to_the_workers_processing_list()
    {
        await EnqueueAsync("a", "b");

        var jobs = await QueueSource().Take(1).RunWith(Sink.Seq<string>(), Sys.Materializer()).WaitAsync(Guard);

        Assert.Equal(["a"], jobs.ToArray());
        Assert.Equal(["a"], await RangeAsync(Processing));
        Assert.Equal(["b"], await RangeAsync(Queue));
    }

    [Fact]
    public async Task Popped_jobs_stay_in_the_processing_list_newest_on_the_left_until_removed()
    {
        await EnqueueAsync("a", "b");

        await QueueSource().Take(2).RunWith(Sink.Seq<string>(), Sys.Materializer()).WaitAsync(Guard);
        Assert.Equal(["b", "a"], await RangeAsync(Processing));

        await Db.ListRemoveAsync(Processing, "a");
        Assert.Equal(["b"], await RangeAsync(Processing));
        Assert.Empty(await RangeAsync(Queue));
    }

    [Fact]
    public async Task Without_downstream_demand_jobs_stay_in_the_queue()
    {
        var taken = RunIntoSinkQueue(QueueSource());
        await EnqueueAsync("a", "b", "c");

        // The sink's one-element buffer takes "a"; nothing else asks for more.
        await UntilAsync(async () => (await RangeAsync(Processing)).Length == 1, "the sink's one prefetched job");
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(["c", "b"], await RangeAsync(Queue));

        Assert.Equal("a", (await taken.PullAsync().WaitAsync(Guard)).Value);
        await UntilAsync(async () => (await RangeAsync(Queue)).SequenceEqual(["c"]), "one more pop after one pull");
        Assert.Equal(["b", "a"], await RangeAsync(Processing));
    }

    [Fact]
    public async Task A_job_waits_in_the_queue_while_admission_is_full_and_is_popped_once_a_slot_is_released()
    {
        var admission = Admission(1);
        var taken = RunIntoSinkQueue(QueueSource(admission));
        await EnqueueAsync("a", "b");

        Assert.Equal("a", (await taken.PullAsync().WaitAsync(Guard)).Value);
        var second = taken.PullAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(["b"], await RangeAsync(Queue));
        Assert.False(second.IsCompleted);
        Assert.Equal(1, admission.InFlight);

        admission.Release();

        Assert.Equal("b", (await second.WaitAsync(Guard)).Value);
        Assert.Empty(await RangeAsync(Queue));
        Assert.Equal(1, admission.InFlight);
    }

    [Fact]
    public async Task An_empty_queue_does_not_complete_the_source_and_a_job_queued_after_the_block_timeout_is_emitted()
    {
        var admission = Admission(4);
        var jobs = QueueSource(admission).Take(1).RunWith(Sink.Seq<string>(), Sys.Materializer());

        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        Assert.False(jobs.IsCompleted);
        await EnqueueAsync("late");

        Assert.Equal(["late"], (await jobs.WaitAsync(Guard)).ToArray());
        // Every empty wait gave its slot back: only the job taken holds one.
        Assert.Equal(1, admission.InFlight);
    }

    [Fact]
    public async Task Recovering_unleased_jobs_of_a_previous_run_empties_the_processing_list_and_returns_how_many_were_moved()
    {
        await EnqueueAsync("a", "b", "c");
        await QueueSource().Take(3).RunWith(Sink.Seq<string>(), Sys.Materializer()).WaitAsync(Guard);

        var moved = await AbandonedJobs.RecoverAsync(_redis.Connection, Settings);

        Assert.Equal(3, moved);
        Assert.Empty(await RangeAsync(Processing));
        Assert.Equal(3, await Db.ListLengthAsync(Queue));
    }

    [Fact]
    public async Task Recovered_jobs_are_popped_again_oldest_first_before_jobs_queued_after_them()
    {
        await EnqueueAsync("a", "b", "c");
        await QueueSource().Take(3).RunWith(Sink.Seq<string>(), Sys.Materializer()).WaitAsync(Guard);
        await EnqueueAsync("d");

        await AbandonedJobs.RecoverAsync(_redis.Connection, Settings);
        var jobs = await QueueSource().Take(4).RunWith(Sink.Seq<string>(), Sys.Materializer()).WaitAsync(Guard);

        Assert.Equal(["a", "b", "c", "d"], jobs.ToArray());
    }

    [Fact]
    public async Task Recovering_an_empty_processing_list_moves_nothing()
    {
        await EnqueueAsync("a");

        var moved = await AbandonedJobs.RecoverAsync(_redis.Connection, Settings);

        Assert.Equal(0, moved);
        Assert.Equal(["a"], await RangeAsync(Queue));
    }

    [Fact]
    public async Task A_pop_that_lands_after_the_source_stopped_puts_its_job_back_on_the_queue()
    {
        var admission = Admission(4);
        var killSwitch = QueueSource(admission).ViaMaterialized(KillSwitches.Single<string>(), Keep.Right).To(Sink.Ignore<string>()).Run(Sys.Materializer());
        await Eventually.WaitUntilAsync(() => Task.FromResult(admission.InFlight == 1), "the source to block on the queue", Guard);

        killSwitch.Shutdown(); // the BLMOVE already sent cannot be withdrawn
        await Task.Delay(200);
        await EnqueueAsync("late-job");

        await Eventually.WaitUntilAsync(async () => admission.InFlight == 0 && await Db.ListLengthAsync(Processing) == 0, "the late pop to be undone", Guard);
        Assert.Equal(["late-job"], (await Db.ListRangeAsync(Queue)).Select(v => v.ToString()));
    }

    [Fact]
    public async Task Jobs_taken_ahead_go_back_to_the_head_of_the_queue_in_order_when_the_source_stops_and_the_write_is_handed_to_its_owner()
    {
        var admission = Admission(8);
        var handed = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        await EnqueueAsync("a", "b", "c", "d", "e", "f");
        // The first pop blocks for one ("a"); the sink's next demand finds the queue had jobs and takes four at once:
        // "b" goes on to the sink's buffer, "c", "d" and "e" wait in the stage.
        var source = Source.FromGraph(new RedisQueueSource(_blocking, Settings, admission, prefetch: 4, onPutBack: write => handed.TrySetResult(write)));
        var (killSwitch, taken) = source.ViaMaterialized(KillSwitches.Single<string>(), Keep.Right)
            .ToMaterialized(Sink.Queue<string>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Keep.Both).Run(Sys.Materializer());
        Assert.Equal("a", (await taken.PullAsync().WaitAsync(Guard)).Value);
        // "b" came out of the four-job pop: the stage holds the rest ("c" may be on its way to the sink's buffer).
        Assert.Equal("b", (await taken.PullAsync().WaitAsync(Guard)).Value);
        Assert.Equal(["f"], await RangeAsync(Queue));

        killSwitch.Shutdown();
        await (await handed.Task.WaitAsync(Guard)).WaitAsync(Guard);

        // Those still waiting in the stage are back, oldest at the pop end; those passed on stay in the processing
        // list, as jobs the worker started would, and keep their admission slots.
        var queue = await RangeAsync(Queue);
        var processing = await RangeAsync(Processing);
        Assert.Equal(["f", "e", "d"], queue[..3]);
        Assert.Equal(queue.OrderDescending(StringComparer.Ordinal), queue);
        Assert.Equal(["a", "b", "c", "d", "e", "f"], queue.Concat(processing).Order(StringComparer.Ordinal));
        Assert.Equal(processing.Length, admission.InFlight);
    }
}
