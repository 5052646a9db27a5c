using System.Globalization;
using System.Text.Json;

namespace VideoAkka.Bench;

/// <summary>
/// Issue 14: POST /orchestrate/start and GET /orchestrate/status/{job_id} under wrk (2 threads, 64 connections, the
/// seed's body with ~75 words and 6 prompts, a unique run_id per request), VideoAkka against the seed's own stack
/// (FastAPI + uvicorn + redis.asyncio) in the same run. Two rounds, the order swapped in the second, so neither stack
/// always runs while the machine is quieter. Targets: POST and GET ≥ 3.5 × FastAPI's requests per second, p99 below
/// FastAPI's. Prints figures only.
/// </summary>
internal static class SubmitBench
{
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private const int Rounds = 2;
    private const int StatusIds = 10_000;

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
            await File.WriteAllLinesAsync(IdsFile(stack), await stack.JobIdsAsync(StatusIds));
            await Wrk.RunAsync(stack.Url, WarmUp, "status.lua", stack.Headers.Where(h => h.StartsWith("X-", StringComparison.Ordinal)), IdsFile(stack));
        }

        var posts = new List<(WrkResult Ours, WrkResult Seed)>();
        var gets = new List<(WrkResult Ours, WrkResult Seed)>();
        for (var round = 1; round <= Rounds; round++)
        {
            var order = round % 2 == 1 ? new[] { ours, seed } : [seed, ours];
            var post = new Dictionary<SubmitStack, WrkResult>();
            var get = new Dictionary<SubmitStack, WrkResult>();
            foreach (var stack in order)
            {
                await stack.FlushAsync();
                post[stack] = await PostAsync(stack, Measured, $"round{round}");
                var queued = await stack.QueuedAsync();
                if (queued < post[stack].Requests)
                {
                    throw new InvalidOperationException($"{stack.Name} answered {post[stack].Requests} submits but queued {queued} jobs");
                }
                await File.WriteAllLinesAsync(IdsFile(stack), await stack.JobIdsAsync(StatusIds));
            }
            foreach (var stack in order)
            {
                get[stack] = Checked(stack, "GET", await Wrk.RunAsync(stack.Url, Measured, "status.lua",
                    stack.Headers.Where(h => h.StartsWith("X-", StringComparison.Ordinal)), IdsFile(stack)));
            }
            Row($"round {round}: POST /orchestrate/start", post[ours], post[seed]);
            Row($"round {round}: GET /orchestrate/status/{{id}}", get[ours], get[seed]);
            posts.Add((post[ours], post[seed]));
            gets.Add((get[ours], get[seed]));
        }
        Summary("POST", posts);
        Summary("GET", gets);
        foreach (var stack in new[] { ours, seed })
        {
            File.Delete(IdsFile(stack));
        }
    }

    private static async Task<WrkResult> PostAsync(SubmitStack stack, TimeSpan duration, string runLabel) =>
        Checked(stack, "POST", await Wrk.RunAsync(stack.Url, duration, "submit.lua", stack.Headers,
            Path.Combine(Wrk.AnchorFolder, "wrk", "seed-body.json"), $"{runLabel}-{Guid.NewGuid():N}"));

    /// <summary>A run with a refused or failed request measured something else than the route: stop.</summary>
    private static WrkResult Checked(SubmitStack stack, string route, WrkResult result) =>
        result.Failures == 0 ? result : throw new InvalidOperationException($"{stack.Name} {route}: {result.Failures} failed requests ({result.Errors})");

    private static string IdsFile(SubmitStack stack) => Path.Combine(Path.GetTempPath(), $"videoakka-submit-{stack.Name}-{Environment.ProcessId}.ids");

    private static void Row(string what, WrkResult ours, WrkResult seed) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"submit   {what,-42} VideoAkka {ours.PerSecond,7:0} req/s p50 {ours.P50Ms,6:0.00} p99 {ours.P99Ms,6:0.00} ms | "
            + $"FastAPI {seed.PerSecond,6:0} req/s p50 {seed.P50Ms,6:0.00} p99 {seed.P99Ms,6:0.00} ms | "
            + $"{ours.PerSecond / seed.PerSecond,4:0.00} × req/s, p99 {ours.P99Ms / seed.P99Ms,4:0.00} ×"));

    /// <summary>The median ratio over the rounds (each ratio measured within one round), against the targets.</summary>
    private static void Summary(string route, List<(WrkResult Ours, WrkResult Seed)> rounds)
    {
        var rate = Median(rounds.Select(r => r.Ours.PerSecond / r.Seed.PerSecond));
        var p99 = Median(rounds.Select(r => r.Ours.P99Ms / r.Seed.P99Ms));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"submit   {route,-4} VideoAkka / FastAPI: {rate:0.00} × req/s (target ≥ 3.5: {(rate >= 3.5 ? "met" : "not met")}), "
            + $"p99 {p99:0.00} × (target < 1: {(p99 < 1 ? "met" : "not met")})"));
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
