using System.Diagnostics;
using StackExchange.Redis;
using VideoAkka.Host;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Bench;

/// <summary>
/// The worker takes jobs only as its stages free up, so its memory must not grow with the queue: the managed heap
/// of a worker (in this process) after it has run a while, with 10 and with 10 000 jobs waiting in Redis.
/// </summary>
internal static class MemoryBench
{
    public static async Task RunAsync()
    {
        long? small = null;
        foreach (var waiting in new[] { 10, 10_000 })
        {
            await using var redis = await RedisServerProcess.StartAsync(null);
            await using (var api = await BenchService.StartAsync(ServiceRole.Api, BenchService.SmallFrames, redis))
            {
                using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
                await Task.WhenAll(Enumerable.Range(0, 16).Select(async client =>
                {
                    for (var i = client; i < waiting; i += 16)
                    {
                        using var _ = await http.PostAsync("/orchestrate/start", BenchService.Body($"m-{i}"));
                    }
                }));
            }
            var heapBefore = Heap();
            await using var worker = await BenchService.StartAsync(ServiceRole.Worker, BenchService.SmallFrames, redis);
            await Task.Delay(TimeSpan.FromSeconds(8));
            var queued = await worker.Redis.GetDatabase().ListLengthAsync("video_orchestrator:queue");
            var grown = Heap() - heapBefore;
            small ??= grown;
            Console.WriteLine($"memory   {waiting,6} jobs waiting   worker heap growth {grown / 1024.0 / 1024.0,6:0.0} MiB   still queued {queued,6}   x{(double)grown / Math.Max(1, small.Value):0.00} of 10 waiting");
        }
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
