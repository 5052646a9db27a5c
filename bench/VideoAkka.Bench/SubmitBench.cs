using System.Globalization;
using System.Text.Json;

namespace VideoAkka.Bench;

/// <summary>
/// Issue 14: POST /orchestrate/start and GET /orchestrate/status/{job_id} under wrk (2 threads, 64 connections, the
/// seed's body with ~75 words and 6 prompts, a unique run_id per request), VideoAkka against the seed's own stack
/// (FastAPI + uvicorn + redis.asyncio) in the same run. Two rounds, the order swapped in the second, so neither stack
/// always runs while the machine is quieter. Beside requests per second and latency, the CPU time each request cost
/// the server, its redis-server and wrk (server+redis+wrk µs): steadier than rates on a shared machine, and with all
/// three on the same 2 cores, what bounds the rate ratio. Targets: POST and GET ≥ 3.5 × FastAPI's
/// requests per second, p99 below FastAPI's. Prints figures only.
/// </summary>
internal static class SubmitBench
{
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private const int Rounds = 2;
    private const int StatusIds = 10_000;

    /// <summary>One wrk run and the CPU it cost, in microseconds a request: the server's, its redis-server's and the
    /// load generator's own (wrk shares the machine's cores with both).</summary>
    private sealed record Run(WrkResult Load, double ServerCpuUs, double RedisCpuUs, double ClientCpuUs)
    {
        public double TotalCpuUs => ServerCpuUs + RedisCpuUs + ClientCpuUs;
    }

    public static async Task RunAsync()
    {
        var body = Path.Combine(Wrk.AnchorFolder, "wrk", "seed-body.json");
        var (words, prompts) = Describe(await File.ReadAllTextAsync(body));
        await using var ours = await SubmitStack.StartVideoAkkaAsync();
        await using var seed = await SubmitStack.StartFastApiAsync();
        Console.WriteLine($"submit   wrk {Wrk.Threads} threads, {Wrk.Connections} connections, {Measured.TotalSeconds:0} s a run; body {new FileInfo(body).Length} bytes "
            + $"({words} words, {prompts} prompts), a unique run_id per request");
        Console.WriteLine("submit   VideoAkka: the service binary in the API role, API key on (X-API-Key on every request, as deployed); "
            + "FastAPI 0.92 + uvicorn 0.17 (2 workers, uvloop, httptools) + redis.asyncio: no API key (the seed has none); each on its own redis-server");

        foreach (var stack in new[] { ours, seed })
        {
            await PostAsync(stack, WarmUp, "warm");
            await GetAsync(stack, WarmUp);
        }

        var posts = new List<(Run Ours, Run Seed)>();
        var gets = new List<(Run Ours, Run Seed)>();
        for (var round = 1; round <= Rounds; round++)
        {
            var order = round % 2 == 1 ? new[] { ours, seed } : [seed, ours];
            var post = new Dictionary<SubmitStack, Run>();
            var get = new Dictionary<SubmitStack, Run>();
            foreach (var stack in order)
            {
                await stack.FlushAsync();
                post[stack] = await PostAsync(stack, Measured, $"round{round}");
                var queued = await stack.QueuedAsync();
                if (queued < post[stack].Load.Requests)
                {
                    throw new InvalidOperationException($"{stack.Name} answered {post[stack].Load.Requests} submits but queued {queued} jobs");
                }
            }
            foreach (var stack in order)
            {
                get[stack] = await GetAsync(stack, Measured);
            }
            Row($"round {round}: POST /orchestrate/start", post[ours], post[seed]);
            Row($"round {round}: GET /orchestrate/status/{{id}}", get[ours], get[seed]);
            posts.Add((post[ours], post[seed]));
            gets.Add((get[ours], get[seed]));
        }
        Summary("POST", posts);
        Summary("GET", gets);
    }

    private static Task<Run> PostAsync(SubmitStack stack, TimeSpan duration, string runLabel) =>
        MeasureAsync(stack, "POST", () => Wrk.RunAsync(stack.Url, duration, "submit.lua", stack.Headers,
            Path.Combine(Wrk.AnchorFolder, "wrk", "seed-body.json"), $"{runLabel}-{Guid.NewGuid():N}"));

    /// <summary>Reads back jobs the stack queued, going round up to 10 000 of them.</summary>
    private static async Task<Run> GetAsync(SubmitStack stack, TimeSpan duration)
    {
        var ids = Path.Combine(Path.GetTempPath(), $"videoakka-submit-{stack.Name}-{Environment.ProcessId}.ids");
        await File.WriteAllLinesAsync(ids, await stack.JobIdsAsync(StatusIds));
        try
        {
            return await MeasureAsync(stack, "GET", () => Wrk.RunAsync(stack.Url, duration, "status.lua",
                stack.Headers.Where(h => h.StartsWith("X-", StringComparison.Ordinal)), ids));
        }
        finally
        {
            File.Delete(ids);
        }
    }

    /// <summary>A run with a refused or failed request measured something else than the route: it stops the bench.</summary>
    private static async Task<Run> MeasureAsync(SubmitStack stack, string route, Func<Task<WrkResult>> load)
    {
        var before = await stack.CpuAsync();
        var client = ProcessCpu.OfFinishedChildren();
        var result = await load();
        var clientCpu = ProcessCpu.OfFinishedChildren() - client;
        var after = await stack.CpuAsync();
        if (result.Failures != 0)
        {
            throw new InvalidOperationException($"{stack.Name} {route}: {result.Failures} failed requests ({result.Errors})");
        }
        return new Run(result, (after.Server - before.Server).TotalMicroseconds / result.Requests, (after.Redis - before.Redis).TotalMicroseconds / result.Requests,
            clientCpu.TotalMicroseconds / result.Requests);
    }

    private static void Row(string what, Run ours, Run seed) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"submit   {what,-36} VideoAkka {ours.Load.PerSecond,6:0} req/s p50 {ours.Load.P50Ms,5:0.0} p99 {ours.Load.P99Ms,5:0.0} ms cpu {ours.ServerCpuUs,4:0}+{ours.RedisCpuUs,3:0}+{ours.ClientCpuUs,3:0} µs | "
            + $"FastAPI {seed.Load.PerSecond,5:0} req/s p50 {seed.Load.P50Ms,5:0.0} p99 {seed.Load.P99Ms,5:0.0} ms cpu {seed.ServerCpuUs,4:0}+{seed.RedisCpuUs,3:0}+{seed.ClientCpuUs,3:0} µs | "
            + $"{ours.Load.PerSecond / seed.Load.PerSecond,4:0.00} × req/s, p99 {ours.Load.P99Ms / seed.Load.P99Ms,4:0.00} ×, server cpu {ours.ServerCpuUs / seed.ServerCpuUs,4:0.00} ×"));

    /// <summary>The median ratio over the rounds (each ratio measured within one round), against the targets.</summary>
    private static void Summary(string route, List<(Run Ours, Run Seed)> rounds)
    {
        var rate = Median(rounds.Select(r => r.Ours.Load.PerSecond / r.Seed.Load.PerSecond));
        var p99 = Median(rounds.Select(r => r.Ours.Load.P99Ms / r.Seed.Load.P99Ms));
        var cpu = Median(rounds.Select(r => (r.Ours.ServerCpuUs + r.Ours.RedisCpuUs) / (r.Seed.ServerCpuUs + r.Seed.RedisCpuUs)));
        // With the cores busy with these three alone, a stack's rate is the cores' time over the CPU one request costs
        // server, redis and wrk together: the ratio of those totals is the rate ratio a quiet 2-core machine shows.
        var cpuBound = Median(rounds.Select(r => r.Seed.TotalCpuUs / r.Ours.TotalCpuUs));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"submit   {route,-4} VideoAkka / FastAPI (median of rounds): {rate:0.00} × req/s (target ≥ 3.5: {(rate >= 3.5 ? "met" : "not met")}), "
            + $"p99 {p99:0.00} × (target < 1: {(p99 < 1 ? "met" : "not met")}); CPU a request (server + redis) {cpu:0.00} ×; "
            + $"counting wrk's own CPU on the same cores {cpuBound:0.00} × (the rate ratio when CPU alone bounds both)"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static (int Words, int Prompts) Describe(string template)
    {
        using var body = JsonDocument.Parse(template);
        return (body.RootElement.GetProperty("script").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length,
            body.RootElement.GetProperty("prompts").GetArrayLength());
    }
}
