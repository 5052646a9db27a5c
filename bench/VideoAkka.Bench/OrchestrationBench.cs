using System.Globalization;
using StackExchange.Redis;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Bench;

/// <summary>
/// Issue 14, orchestration throughput: N no-op jobs pre-queued, then run by one VideoAkka worker process on the null
/// backend (every stage, events journaled, leases, records), and the same number by BullMQ (a worker in its own Node
/// process, concurrency 50) on the same kind of redis-server, in the same run. Jobs per second from the first job
/// started to the last finished; Redis commands per job from INFO commandstats (a script's own commands included);
/// Redis CPU from INFO cpu. Target: VideoAkka ≥ 2.0 × BullMQ.
/// </summary>
internal static class OrchestrationBench
{
    public static int Jobs => int.TryParse(Environment.GetEnvironmentVariable("VIDEOAKKA_BENCH_JOBS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 20_000;

    public static async Task RunAsync()
    {
        var jobs = Jobs;
        Console.WriteLine($"orchestration   {jobs} no-op jobs pre-queued (1 scene, no voiceover), one worker each, webhook off, job folders in {(Directory.Exists("/dev/shm") ? "/dev/shm" : "the temp folder")}");
        var ours = await NullWorkers.RunAsync(jobs, workers: 1);
        Console.WriteLine($"orchestration   VideoAkka (null backend, 1 worker process)   {NullWorkers.Figures(ours)}");
        Console.WriteLine($"orchestration   VideoAkka Redis calls per job: {ours.Redis.PerJob(jobs)}");
        var (bull, bullRedis) = await RunBullMqAsync(jobs);
        var bullRate = bull.Completed / Math.Max(bull.Seconds, 1e-9);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"orchestration   BullMQ 6 (Node worker, concurrency 50)        {bullRate,8:0} jobs/s   {bull.Completed}/{jobs} completed in {bull.Seconds:0.0} s   Redis {(double)bullRedis.TotalCalls / jobs:0.0} commands/job ({(double)bullRedis.ScriptCalls / jobs:0.0} scripts)   Redis CPU {bullRedis.CpuSeconds / Math.Max(bull.Seconds, 1e-9) * 100:0}%"));
        Console.WriteLine($"orchestration   BullMQ Redis calls per job: {bullRedis.PerJob(jobs)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"orchestration   VideoAkka / BullMQ: x{ours.JobsPerSecond / Math.Max(bullRate, 1e-9):0.00} jobs/s (target >= 2.0), x{ours.CommandsPerJob / Math.Max((double)bullRedis.TotalCalls / jobs, 1e-9):0.00} Redis commands per job"));
    }

    private static async Task<(BullMqAnchor.Result Result, RedisStats Redis)> RunBullMqAsync(int jobs)
    {
        await using var redis = await RedisServerProcess.StartAsync(null);
        await BullMqAnchor.QueueAsync(redis.Port, jobs, await BenchService.Body("bullmq").ReadAsStringAsync());
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true");
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var before = await RedisStats.ReadAsync(server);
        var result = await BullMqAnchor.WorkAsync(redis.Port, jobs);
        return (result, (await RedisStats.ReadAsync(server)).Since(before));
    }
}
