namespace VideoAkka.Bench;

/// <summary>
/// Issue 14, scale with workers: the orchestration load run by 1, 2 and 4 worker processes on one redis-server. Where
/// jobs/s stops growing while Redis CPU nears 100 % of its one core, Redis, not the worker, is the limit.
/// </summary>
internal static class ScaleBench
{
    public static async Task RunAsync()
    {
        var jobs = OrchestrationBench.Jobs;
        double? one = null;
        foreach (var workers in new[] { 1, 2, 4 })
        {
            var result = await NullWorkers.RunAsync(jobs, workers);
            one ??= result.JobsPerSecond;
            Console.WriteLine($"scale   {workers} worker process(es)   {NullWorkers.Figures(result)}   x{result.JobsPerSecond / one.Value:0.00} of 1 worker");
        }
        Console.WriteLine($"scale   on {Environment.ProcessorCount} cores shared by Redis, the workers and the bench itself");
    }
}
