using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace VideoAkka.Bench;

/// <summary>
/// BullMQ (npm bullmq 6.x + ioredis, bench/anchors/bullmq, installed from its lock file by ./videoakka bench): a
/// producer that queues N no-op jobs, then a worker in its own Node process at concurrency 50 that runs them.
/// </summary>
internal static class BullMqAnchor
{
    public sealed record Result(int Completed, int Failed, double Seconds);

    public static string Folder { get; } = Path.GetDirectoryName(RepositoryFile.Find(Path.Combine("bench", "anchors", "bullmq", "worker.mjs")))!;

    public static async Task QueueAsync(int port, int jobs, string jobJson)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "bullmq")))
        {
            throw new InvalidOperationException($"BullMQ is not installed: (cd {Folder} && npm ci)");
        }
        var (code, output) = await RunNodeAsync("producer.mjs", port, jobs, jobJson);
        if (code != 0)
        {
            throw new InvalidOperationException($"the BullMQ producer failed ({code}): {output}");
        }
    }

    public static async Task<Result> WorkAsync(int port, int jobs)
    {
        var (code, output) = await RunNodeAsync("worker.mjs", port, jobs, null);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
        if (code != 0 || last is null)
        {
            throw new InvalidOperationException($"the BullMQ worker failed ({code}): {output}");
        }
        var json = JsonDocument.Parse(last).RootElement;
        return new Result(json.GetProperty("completed").GetInt32(), json.GetProperty("failed").GetInt32(), json.GetProperty("seconds").GetDouble());
    }

    private static async Task<(int Code, string Output)> RunNodeAsync(string script, int port, int jobs, string? jobJson)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(jobs.ToString(CultureInfo.InvariantCulture));
        if (jobJson is not null)
        {
            start.Environment["BENCH_JOB"] = jobJson;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish in 10 minutes");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
