using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using VideoAkka.Host;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Bench;

/// <summary>
/// Issue 14: how long a job waits between its submit and the start of its run on an idle worker (API and worker in
/// one service, role both), p50 and p99 over 1 000 jobs submitted one at a time. Read from the job's own record:
/// created_at (stamped by the API as it queues the job) to started_at (the worker's job_started event, the moment its
/// first stage, preparing, begins): both from one clock, exact to the microsecond. The job is cancelled once it runs,
/// so the worker is idle again for the next. The null backend (no ffmpeg) keeps the machine quiet between jobs.
/// Target: p99 ≤ 50 ms, which a worker only reaches if its blocking pop wakes at once. Prints figures only.
/// </summary>
internal static class LatencyBench
{
    private const int Jobs = 1000;
    private const int WarmUp = 20;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task RunAsync()
    {
        // Two info lines per job would be most of what this prints: the job lines are logged at Warning, as an operator
        // at this rate would (the service reads its log levels from the environment).
        Environment.SetEnvironmentVariable("Logging__LogLevel__VideoAkka.Pipeline.Graph.JobLifecycle", "Warning");
        Environment.SetEnvironmentVariable("Logging__LogLevel__VideoAkka.Pipeline.Graph.JobActor", "Warning");
        await using var service = await BenchService.StartAsync(ServiceRole.Both, BenchService.SmallFrames + "\nvideoakka.generation.backend = null");
        using var http = new HttpClient { BaseAddress = new Uri(service.Url) };
        var db = service.Redis.GetDatabase();

        for (var i = 0; i < WarmUp; i++)
        {
            await OneAsync(http, db, $"latency-warm-{i}");
        }
        var waits = new double[Jobs];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Jobs; i++)
        {
            waits[i] = (await OneAsync(http, db, $"latency-{i}")).TotalMilliseconds;
        }
        Array.Sort(waits);
        var p99 = waits[(int)Math.Ceiling(Jobs * 0.99) - 1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency  submit → job started on an idle worker (role both, null backend, 1 scene, no voiceover), {Jobs} jobs one at a time in {clock.Elapsed.TotalSeconds:0} s: "
            + $"p50 {waits[Jobs / 2]:0.0} ms  p90 {waits[(int)(Jobs * 0.9)]:0.0} ms  p99 {p99:0.0} ms  max {waits[^1]:0.0} ms  (target p99 ≤ 50 ms: {(p99 <= 50 ? "met" : "not met")})"));
    }

    /// <summary>Submits one job, waits until its worker starts it, cancels it and waits for its end.</summary>
    /// <returns>created_at to started_at, from its record.</returns>
    private static async Task<TimeSpan> OneAsync(HttpClient http, IDatabase db, string runId)
    {
        using var submitted = await http.PostAsync("/orchestrate/start", BenchService.Body(runId));
        if ((int)submitted.StatusCode != 202)
        {
            throw new InvalidOperationException($"submit answered {(int)submitted.StatusCode}: {await submitted.Content.ReadAsStringAsync()}");
        }
        var jobId = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetString()!;
        (await WaitForAsync(db, jobId, status => status != "queued")).Dispose();
        using var cancelled = await http.PostAsync($"/orchestrate/cancel/{jobId}", null);
        if ((int)cancelled.StatusCode is not (200 or 202 or 409)) // 409: it finished first; ended all the same
        {
            throw new InvalidOperationException($"cancel answered {(int)cancelled.StatusCode}: {await cancelled.Content.ReadAsStringAsync()}");
        }
        using var record = await WaitForAsync(db, jobId, status => status is "cancelled" or "completed" or "failed");
        var created = record.RootElement.GetProperty("created_at").GetDateTimeOffset();
        var started = record.RootElement.GetProperty("started_at").GetDateTimeOffset();
        return started - created;
    }

    /// <summary>Reads the job's record straight from Redis every 2 ms until its status matches: the bench's waiting
    /// costs Redis a GET, never the service a request, and the figure comes from the record's own timestamps.</summary>
    private static async Task<JsonDocument> WaitForAsync(IDatabase db, string jobId, Func<string, bool> matches)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            var record = JsonDocument.Parse((string)(await db.StringGetAsync(RedisKeys.Default.Job(jobId)))!);
            if (matches(record.RootElement.GetProperty("status").GetString()!))
            {
                return record;
            }
            record.Dispose();
            await Task.Delay(2);
        }
        throw new TimeoutException($"job {jobId}: not there within {Deadline.TotalSeconds:0} s");
    }
}
