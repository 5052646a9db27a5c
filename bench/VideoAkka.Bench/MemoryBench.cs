using System.Globalization;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Bench;

/// <summary>
/// Issue 14, memory under backlog: a worker PROCESS (null backend) holds only what its stages hold, however many jobs
/// wait in Redis. Its RSS and managed heap with 10, 10 000 and 100 000 jobs waiting, each measured after the same
/// number of completed jobs and with the same number running (the null backend holds each job a moment, so the
/// worker is at its in-flight cap and the rest waits). Target: 100 000 waiting ≤ 1.1 × 10 waiting. Then the memory
/// per running job, with 500 jobs held in flight at once (stage parallelism raised), to size workers.
/// </summary>
internal static class MemoryBench
{
    private const int Completed = 1000;
    private const int InFlight = 100;
    private const int Held = 500;

    private static string BacklogHocon => NullWorkers.Hocon + $"""

        videoakka.worker.max-jobs-in-flight = {InFlight}
        videoakka.generation.null.delay = 2s
        """;

    private static string HeldHocon => NullWorkers.Hocon + $"""

        videoakka.worker.max-jobs-in-flight = {Held}
        videoakka.stages.video-gen.parallelism = {Held}
        videoakka.generation.null.delay = 10m
        """;

    public static async Task RunAsync()
    {
        (long Rss, long Heap)? small = null;
        foreach (var waiting in new[] { 10, 10_000, 100_000 })
        {
            var (rss, heap) = await BacklogAsync(waiting);
            small ??= (rss, heap);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory   {waiting,7} jobs waiting, {Completed} completed, {InFlight} running   worker RSS {Mib(rss),6:0.0} MiB   GC heap {Mib(heap),6:0.0} MiB   x{(double)rss / small.Value.Rss:0.00} RSS, x{(double)heap / Math.Max(1, small.Value.Heap):0.00} heap of 10 waiting (target <= 1.1)"));
        }
        var (idle, busy, idleHeap, busyHeap) = await HeldAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory   {Held} jobs running at once: worker RSS {Mib(idle):0.0} -> {Mib(busy):0.0} MiB, {(busy - idle) / 1024.0 / Held:0.0} KiB RSS per running job; GC heap {Mib(idleHeap):0.0} -> {Mib(busyHeap):0.0} MiB, {(busyHeap - idleHeap) / 1024.0 / Held:0.0} KiB per running job"));
    }

    private static double Mib(long bytes) => bytes / 1024.0 / 1024.0;

    /// <summary>Completed + InFlight + waiting jobs queued; measured when the queue is down to <paramref name="waiting"/>:
    /// then about <see cref="Completed"/> are done and <see cref="InFlight"/> run.</summary>
    private static async Task<(long Rss, long Heap)> BacklogAsync(int waiting)
    {
        await using var redis = await RedisServerProcess.StartAsync(null);
        var data = NullWorkers.DataFolder("videoakka-bench-memory-");
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            var db = connection.GetDatabase();
            await QueuedJobs.SubmitAsync(connection, data, Completed + InFlight + waiting, "m");
            await using var worker = BenchWorkerProcess.Start(redis.Port, data, BacklogHocon, null, NullWorkers.QuietJobLines);
            await worker.WaitUntilRunningAsync(TimeSpan.FromSeconds(120), CancellationToken.None);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
            while (await db.ListLengthAsync(RedisKeys.Default.Queue) > waiting)
            {
                if (DateTime.UtcNow > deadline || worker.HasExited)
                {
                    throw new TimeoutException($"the worker did not take {Completed + InFlight} jobs:\n{worker.Tail}");
                }
                await Task.Delay(50);
            }
            return (worker.ResidentBytes(), await GcHeapAsync(worker));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<(long IdleRss, long BusyRss, long IdleHeap, long BusyHeap)> HeldAsync()
    {
        await using var redis = await RedisServerProcess.StartAsync(null);
        var data = NullWorkers.DataFolder("videoakka-bench-memory-");
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            var db = connection.GetDatabase();
            await QueuedJobs.SubmitAsync(connection, data, Held, "h");
            await QueuedJobs.HoldAsync(db);
            await using var worker = BenchWorkerProcess.Start(redis.Port, data, HeldHocon, null, NullWorkers.QuietJobLines);
            await worker.WaitUntilRunningAsync(TimeSpan.FromSeconds(120), CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(3)); // settled after its start
            var (idleRss, idleHeap) = (worker.ResidentBytes(), await GcHeapAsync(worker));
            await QueuedJobs.ReleaseAsync(db);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
            // Held in video-gen: each has its lease, its owner, its record written running.
            while (await db.SortedSetLengthAsync(RedisKeys.Default.Leases) < Held
                || await db.ListLengthAsync(RedisKeys.Default.Queue) > 0)
            {
                if (DateTime.UtcNow > deadline || worker.HasExited)
                {
                    throw new TimeoutException($"the worker did not take {Held} jobs:\n{worker.Tail}");
                }
                await Task.Delay(100);
            }
            await Task.Delay(TimeSpan.FromSeconds(3)); // all of them past their start and into the held stage
            return (idleRss, worker.ResidentBytes(), idleHeap, await GcHeapAsync(worker));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The managed heap as the worker's own /metrics reports it (the .NET runtime's meter: the heap size
    /// after the last collection, summed over generations).</summary>
    private static async Task<long> GcHeapAsync(BenchWorkerProcess worker)
    {
        using var http = new HttpClient { BaseAddress = new Uri(worker.Url), Timeout = TimeSpan.FromSeconds(30) };
        var text = await http.GetStringAsync("/metrics");
        var total = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("dotnet_gc_last_collection_heap_size_bytes", StringComparison.Ordinal)
                || line.StartsWith("process_runtime_dotnet_gc_heap_size_bytes", StringComparison.Ordinal))
            {
                // name{labels} value [timestamp]: labels carry no space here.
                total += double.Parse(line.Split(' ')[1], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }
        return (long)total;
    }
}
