using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Host;

/// <summary>
/// `./videoakka demo`: starts the whole service on a free loopback port (embedded Redis unless REDIS_URL is set, the
/// draft renderer unless COMFYUI_URL is set), submits a job over real HTTP as n8n would, follows its status until it
/// ends, and prints where the video is. Exit 0 only when the video was made.
/// </summary>
public static class DemoCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);

    public static async Task<int> RunAsync(string requestFile)
    {
        if (!File.Exists(requestFile))
        {
            Console.Error.WriteLine($"videoakka demo: {requestFile} does not exist");
            return 2;
        }
        var baseUrl = $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort()}";
        await using var app = await VideoAkkaApp.BuildAsync(ServiceOptions.FromEnvironment() with { Urls = baseUrl });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            return await SubmitAndFollowAsync(http, requestFile);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static async Task<int> SubmitAndFollowAsync(HttpClient http, string requestFile)
    {
        using var body = new ByteArrayContent(await File.ReadAllBytesAsync(requestFile));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var submitted = await http.PostAsync("/orchestrate/start", body);
        var answer = await submitted.Content.ReadAsStringAsync();
        string jobId;
        using (var reply = JsonDocument.Parse(answer))
        {
            if ((int)submitted.StatusCode == 409 && reply.RootElement.TryGetProperty("existing_job_id", out var existing))
            {
                // An earlier demo was interrupted; its job was taken up again at start: follow it.
                jobId = existing.GetString()!;
                Console.WriteLine($"The demo's run is already in progress (job {jobId}); following it");
            }
            else if ((int)submitted.StatusCode == 202)
            {
                jobId = reply.RootElement.GetProperty("job_id").GetString()!;
                Console.WriteLine($"Submitted {requestFile} over HTTP: job {jobId}");
            }
            else
            {
                Console.Error.WriteLine($"videoakka demo: the service refused {requestFile} ({(int)submitted.StatusCode}): {answer}");
                return 1;
            }
        }

        var started = DateTime.UtcNow;
        var last = "";
        while (DateTime.UtcNow - started < Limit)
        {
            using var status = JsonDocument.Parse(await http.GetStringAsync($"/orchestrate/status/{jobId}"));
            var record = status.RootElement;
            var state = record.GetProperty("status").GetString();
            var line = string.Create(CultureInfo.InvariantCulture,
                $"  {state,-9} {record.GetProperty("stage").GetString(),-10} {record.GetProperty("progress").GetDouble(),4:P0}");
            if (line != last)
            {
                Console.WriteLine(line);
                last = line;
            }
            switch (state)
            {
                case "completed":
                    var path = record.GetProperty("final_video_path").GetString()!;
                    Console.WriteLine($"Finished in {(DateTime.UtcNow - started).TotalSeconds:0.0} s (draft renderer: text cards, not AI images).");
                    Console.WriteLine($"Video: {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:0.0} MiB)");
                    Console.WriteLine($"(./videoakka up serves it at /orchestrate/video/{jobId})");
                    return 0;
                case "failed":
                    Console.Error.WriteLine($"videoakka demo: job {jobId} failed: {record.GetProperty("error").GetString()}");
                    return 1;
            }
            await Task.Delay(500);
        }
        Console.Error.WriteLine($"videoakka demo: job {jobId} did not finish within {Limit.TotalMinutes} minutes");
        return 1;
    }
}
