using System.Diagnostics;
using VideoAkka.Host;

namespace VideoAkka.Bench;

/// <summary>POST /orchestrate/start against the API on real Redis: requests per second and latency percentiles, with
/// 1 and with 32 concurrent clients.</summary>
internal static class SubmitBench
{
    public static async Task RunAsync()
    {
        await using var service = await BenchService.StartAsync(ServiceRole.Api, BenchService.SmallFrames);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(service.Url) };
        await RunAsync(http, clients: 4, requests: 500, label: "warm-up");
        foreach (var clients in new[] { 1, 32 })
        {
            await RunAsync(http, clients, requests: 5000, label: $"{clients} client(s)");
        }
    }

    private static async Task RunAsync(HttpClient http, int clients, int requests, string label)
    {
        var latencies = new double[requests];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/orchestrate/start", BenchService.Body($"{label.Replace(' ', '-').Replace("(", "").Replace(")", "")}-{i}"));
                if ((int)response.StatusCode != 202)
                {
                    throw new InvalidOperationException($"submit answered {(int)response.StatusCode}");
                }
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        Console.WriteLine($"submit   {label,-12} {requests / seconds,9:0} req/s   p50 {latencies[requests / 2],6:0.00} ms   p99 {latencies[(int)(requests * 0.99)],6:0.00} ms");
    }
}
