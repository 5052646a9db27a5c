using System.Diagnostics;
using System.Text.Json;
using StackExchange.Redis;
using VideoAkka.Host;

namespace VideoAkka.Bench;

/// <summary>
/// Real jobs (draft renderer, real ffmpeg, tiny frames) through queue → graph → record: jobs per minute with every
/// stage at parallelism 1 and at 2. The ratio shows what parallelism buys on this machine's cores.
/// </summary>
internal static class PipelineBench
{
    private const int Jobs = 12;

    public static async Task RunAsync()
    {
        double? baseline = null;
        foreach (var parallelism in new[] { 1, 2 })
        {
            var hocon = BenchService.SmallFrames + $$"""

                videoakka.stages { image-gen.parallelism = {{parallelism}}, video-gen.parallelism = {{parallelism}}, tts.parallelism = {{parallelism}}, subtitle.parallelism = {{parallelism}}, stitch.parallelism = {{parallelism}} }
                """;
            await using var service = await BenchService.StartAsync(ServiceRole.Both, hocon);
            using var http = new HttpClient { BaseAddress = new Uri(service.Url) };
            var clock = Stopwatch.StartNew();
            var ids = new List<string>();
            for (var i = 0; i < Jobs; i++)
            {
                using var response = await http.PostAsync("/orchestrate/start", BenchService.Body($"p{parallelism}-{i}", scenes: 3, seconds: 1, voiceover: true));
                ids.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetString()!);
            }
            var db = service.Redis.GetDatabase();
            var keys = ids.Select(id => (RedisKey)$"video_orchestrator:job:{id}").ToArray();
            while ((await db.StringGetAsync(keys)).Count(v => v.ToString().Contains("\"status\":\"completed\"")) < Jobs)
            {
                await Task.Delay(50);
            }
            var perMinute = Jobs / clock.Elapsed.TotalMinutes;
            baseline ??= perMinute;
            Console.WriteLine($"pipeline parallelism {parallelism}   {Jobs} jobs x 3 scenes (180x320, voiceover)   {perMinute,6:0.0} jobs/min   x{perMinute / baseline:0.00} of parallelism 1");
        }
    }
}
