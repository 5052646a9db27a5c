using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StackExchange.Redis;
using VideoAkka.Fakes;
using VideoAkka.Host;

namespace VideoAkka.Bench;

/// <summary>
/// How well the scheduler keeps the GPUs fed: 20 jobs x 5 scenes (an image and a clip prompt each) against two fake
/// ComfyUI instances of capacity C with a fixed latency per prompt. Per instance it prints the fraction of the run's
/// wall time during which C of our prompts were on it (target: at least 0.95), the most that ever were (must never
/// exceed C), and the model switches it saw (consecutive prompts of different workflows).
/// </summary>
internal static class GpuSaturationBench
{
    private const int Jobs = 20;
    private const int ScenesPerJob = 5;
    private const int Capacity = 2;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(600);

    public static async Task RunAsync()
    {
        var fakes = new[]
        {
            await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = Latency, ProgressSteps = 2 }),
            await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = Latency, ProgressSteps = 2 }),
        };
        try
        {
            var hocon = BenchService.SmallFrames + $"\nvideoakka.comfyui.instances = {Capacity}";
            await using var service = await BenchService.StartAsync(ServiceRole.Both, hocon, comfyUiUrl: string.Join(",", fakes.Select(f => f.Url)));
            using var http = new HttpClient { BaseAddress = new Uri(service.Url) };
            var ids = new List<string>();
            for (var i = 0; i < Jobs; i++)
            {
                var body = new JsonObject
                {
                    ["script"] = "A short narration for the benchmark.",
                    ["run_id"] = $"gpu-{i}",
                    ["prompts"] = new JsonArray([.. Enumerable.Range(1, ScenesPerJob).Select(s => (JsonNode)new JsonObject { ["image"] = $"job {i} scene {s}", ["duration"] = 0.5 })]),
                    ["options"] = new JsonObject { ["voiceover"] = false },
                };
                using var response = await http.PostAsync("/orchestrate/start", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                ids.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetString()!);
            }

            // Sample every instance's in-flight count from the first prompt to the last one ending.
            var full = new long[fakes.Length];
            long samples = 0;
            var clock = Stopwatch.StartNew();
            var db = service.Redis.GetDatabase();
            var keys = ids.Select(id => (RedisKey)$"video_orchestrator:job:{id}").ToArray();
            var prompts = Jobs * ScenesPerJob * 2;
            while (fakes.Sum(f => f.Completed) < prompts)
            {
                if (fakes.Any(f => f.Submissions.Count > 0))
                {
                    samples++;
                    for (var i = 0; i < fakes.Length; i++)
                    {
                        full[i] += fakes[i].InFlight >= Capacity ? 1 : 0;
                    }
                }
                await Task.Delay(5);
                if (clock.Elapsed > TimeSpan.FromMinutes(10))
                {
                    Console.WriteLine("gpu-saturation: gave up after 10 minutes");
                    return;
                }
            }
            var wall = clock.Elapsed;
            while ((await db.StringGetAsync(keys)).Count(v => v.ToString().Contains("\"status\":\"completed\"")) < Jobs)
            {
                await Task.Delay(50);
            }
            Console.WriteLine($"gpu-saturation   {Jobs} jobs x {ScenesPerJob} scenes = {prompts} prompts, 2 instances of capacity {Capacity}, {Latency.TotalMilliseconds:0} ms per prompt, {wall.TotalSeconds:0.0} s");
            for (var i = 0; i < fakes.Length; i++)
            {
                var kinds = fakes[i].Submissions.Select(s => s.ClassTypes.Contains("SaveVideo")).ToList();
                var switches = kinds.Zip(kinds.Skip(1)).Count(p => p.First != p.Second);
                Console.WriteLine($"  instance {i + 1}: busy (C in flight) {(double)full[i] / Math.Max(1, samples):0.000} of wall time   max in flight {fakes[i].MaxInFlight} (C = {Capacity})   prompts {fakes[i].Submissions.Count}   model switches {switches}");
            }
        }
        finally
        {
            foreach (var fake in fakes)
            {
                await fake.DisposeAsync();
            }
        }
    }
}
