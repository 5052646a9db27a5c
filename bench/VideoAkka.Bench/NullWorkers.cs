using System.Globalization;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Bench;

/// <summary>
/// N pre-queued no-op jobs through whole worker processes on the null backend (queue, graph, journal, record,
/// completion; no webhook), on a fresh redis-server: the figures the orchestration and scale benches print.
/// </summary>
internal static class NullWorkers
{
    /// <summary>The operator's configuration for a no-op load: the null backend, and every stage's parallelism raised
    /// (its defaults are sized for ffmpeg on a few cores). akka.loglevel stays INFO: the readiness line is one.</summary>
    public const string Hocon = """
        videoakka.generation.backend = null
        videoakka.stages {
          image-gen.parallelism = 64
          video-gen.parallelism = 64
          tts.parallelism = 64
          subtitle.parallelism = 64
          stitch.parallelism = 64
          qc.parallelism = 64
        }
        videoakka.worker.max-jobs-in-flight = 256
        akka.loglevel = INFO
        """;

    /// <summary>A line per job started and finished is 2 lines per job at thousands of jobs a second: an operator running
    /// at that rate logs them at Warning, as here. Everything else is logged as usual.</summary>
    public static IReadOnlyDictionary<string, string> QuietJobLines { get; } = new Dictionary<string, string>
    {
        ["Logging__LogLevel__VideoAkka.Pipeline.Graph.JobLifecycle"] = "Warning",
    };

    public sealed record Result(int Jobs, int Completed, int Other, double Seconds, RedisStats Redis, double WorkerCpuSeconds)
    {
        /// <summary>Cores' worth of CPU the worker processes used together over the run.</summary>
        public double WorkerCpu => WorkerCpuSeconds / Math.Max(Seconds, 1e-9);

        public double JobsPerSecond => Completed / Math.Max(Seconds, 1e-9);

        public double CommandsPerJob => (double)Redis.TotalCalls / Math.Max(1, Jobs);

        /// <summary>Share of one core Redis used over the run.</summary>
        public double RedisCpu => Redis.CpuSeconds / Math.Max(Seconds, 1e-9);

        /// <summary>Jobs leased (started, not finished) on average over the run, and jobs out of the queue.</summary>
        public double MeanLeased { get; init; }

        public double MeanPopped { get; init; }
    }

    /// <param name="environment">Added to each worker's environment (the profile's perf map switches).</param>
    /// <param name="whileRunning">Started with the workers' process ids as the jobs are released, awaited after they
    /// are done (the profile's perf record).</param>
    public static async Task<Result> RunAsync(int jobs, int workers, string hocon = Hocon,
        IReadOnlyDictionary<string, string>? environment = null, Func<IReadOnlyList<int>, Task>? whileRunning = null)
    {
        await using var redis = await RedisServerProcess.StartAsync(null);
        var data = DataFolder("videoakka-bench-null-");
        var workerProcesses = new List<BenchWorkerProcess>();
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true");
            var db = connection.GetDatabase();
            var server = connection.GetServer(connection.GetEndPoints()[0]);
            var ids = await QueuedJobs.SubmitAsync(connection, data, jobs, "o");
            await QueuedJobs.HoldAsync(db);
            for (var i = 0; i < workers; i++)
            {
                workerProcesses.Add(BenchWorkerProcess.Start(redis.Port, data, hocon, null,
                    environment is null ? QuietJobLines : QuietJobLines.Concat(environment).ToDictionary()));
            }
            await Task.WhenAll(workerProcesses.Select(w => w.WaitUntilRunningAsync(TimeSpan.FromSeconds(120), CancellationToken.None)));
            var before = await RedisStats.ReadAsync(server);
            var cpuBefore = workerProcesses.Sum(w => w.CpuSeconds());
            await QueuedJobs.ReleaseAsync(db);
            var alongside = whileRunning?.Invoke([.. workerProcesses.Select(w => w.Pid)]) ?? Task.CompletedTask;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120 + jobs / 50.0);
            var (leasedSum, poppedSum, samples) = (0L, 0L, 0);
            while (await QueuedJobs.CountAsync(db) is var (queued, leased, popped) && queued + leased + popped > 0)
            {
                (leasedSum, poppedSum, samples) = (leasedSum + leased, poppedSum + popped, samples + 1);
                if (DateTime.UtcNow > deadline || workerProcesses.Any(w => w.HasExited))
                {
                    throw new TimeoutException($"the jobs did not finish: {await db.ListLengthAsync(RedisKeys.Default.Queue)} still queued\n{workerProcesses[0].Tail}");
                }
                await Task.Delay(200);
            }
            await alongside;
            var used = (await RedisStats.ReadAsync(server)).Since(before);
            var workerCpu = workerProcesses.Sum(w => w.CpuSeconds()) - cpuBefore;
            var (completed, other, span) = await QueuedJobs.OutcomeAsync(db, ids);
            return new Result(jobs, completed, other, span.TotalSeconds, used, workerCpu)
            {
                MeanLeased = (double)leasedSum / Math.Max(1, samples),
                MeanPopped = (double)poppedSum / Math.Max(1, samples),
            };
        }
        finally
        {
            foreach (var worker in workerProcesses)
            {
                await worker.DisposeAsync();
            }
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Job folders of the null backend hold placeholders only: on tmpfs (/dev/shm) when there is one, so
    /// that the figures are the orchestrator's and not the file system's (a shared virtual disk under load takes
    /// milliseconds per create and rename; a real worker's folders are on whatever disk the operator gives them).</summary>
    public static string DataFolder(string prefix) =>
        Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory(Path.Combine("/dev/shm", prefix + Guid.NewGuid().ToString("N")[..8])).FullName
            : Directory.CreateTempSubdirectory(prefix).FullName;

    public static string Figures(Result r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.JobsPerSecond,8:0} jobs/s   {r.Completed}/{r.Jobs} completed{(r.Other > 0 ? $" ({r.Other} NOT)" : "")} in {r.Seconds:0.0} s   Redis {r.CommandsPerJob:0.0} commands/job ({(double)r.Redis.ScriptCalls / r.Jobs:0.0} scripts)   Redis CPU {r.RedisCpu * 100:0}%   worker CPU {r.WorkerCpu * 100:0}%   in flight: {r.MeanPopped:0} popped, {r.MeanLeased:0} leased (mean)");
}
