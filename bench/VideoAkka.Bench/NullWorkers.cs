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

    public sealed record Result(int Jobs, int Completed, int Other, double Seconds, RedisStats Redis)
    {
        public double JobsPerSecond => Completed / Math.Max(Seconds, 1e-9);

        public double CommandsPerJob => (double)Redis.TotalCalls / Math.Max(1, Jobs);

        /// <summary>Share of one core Redis used over the run.</summary>
        public double RedisCpu => Redis.CpuSeconds / Math.Max(Seconds, 1e-9);
    }

    public static async Task<Result> RunAsync(int jobs, int workers, string hocon = Hocon)
    {
        await using var redis = await RedisServerProcess.StartAsync(null);
        var data = Directory.CreateTempSubdirectory("videoakka-bench-null-").FullName;
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
                workerProcesses.Add(BenchWorkerProcess.Start(redis.Port, data, hocon, null, QuietJobLines));
            }
            await Task.WhenAll(workerProcesses.Select(w => w.WaitUntilRunningAsync(TimeSpan.FromSeconds(120), CancellationToken.None)));
            var before = await RedisStats.ReadAsync(server);
            await QueuedJobs.ReleaseAsync(db);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120 + jobs / 50.0);
            while (!await QueuedJobs.AllTakenAndFinishedAsync(db))
            {
                if (DateTime.UtcNow > deadline || workerProcesses.Any(w => w.HasExited))
                {
                    throw new TimeoutException($"the jobs did not finish: {await db.ListLengthAsync(RedisKeys.Default.Queue)} still queued\n{workerProcesses[0].Tail}");
                }
                await Task.Delay(200);
            }
            var used = (await RedisStats.ReadAsync(server)).Since(before);
            var (completed, other, span) = await QueuedJobs.OutcomeAsync(db, ids);
            return new Result(jobs, completed, other, span.TotalSeconds, used);
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

    public static string Figures(Result r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.JobsPerSecond,8:0} jobs/s   {r.Completed}/{r.Jobs} completed{(r.Other > 0 ? $" ({r.Other} NOT)" : "")} in {r.Seconds:0.0} s   Redis {r.CommandsPerJob:0.0} commands/job ({(double)r.Redis.ScriptCalls / r.Jobs:0.0} scripts)   Redis CPU {r.RedisCpu * 100:0}%");
}
