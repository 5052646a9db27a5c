using System.Net;
using System.Text;
using System.Text.Json;
using VideoAkka.Tests.Durability;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11: on SIGTERM the API turns requests away (503, Retry-After, a problem body) while the worker
/// drains, and the listener closes only when the process ends.</summary>
public sealed class StoppingSpecs
{
    [Fact]
    public async Task After_sigterm_the_api_answers_503_with_retry_after_while_a_running_job_drains_then_the_listener_closes()
    {
        const string hocon = DurableWorkers.DraftHocon + "\nvideoakka.worker.drain-timeout = 60s";
        await using var redis = await TestRedis.StartAsync();
        var dataRoot = Directory.CreateTempSubdirectory("videoakka-stopping-").FullName;
        await using var service = WorkerProcess.Start(redis.Url, dataRoot, hocon, role: "both");
        await service.WaitUntilRunningAsync();
        using var http = new HttpClient { BaseAddress = new Uri(service.Url), Timeout = TimeSpan.FromSeconds(20) };
        await Eventually.WaitUntilAsync(async () =>
        {
            try
            {
                using var live = await http.GetAsync("/healthz/live");
                return live.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the API to listen");
        var jobId = await SubmitAsync(http, JobBodies.Simple("draining-run", scenes: 2, sceneSeconds: 20, voiceover: false));
        await Eventually.WaitUntilAsync(async () => (await StatusAsync(http, jobId)) == "running", "the job to run");

        await service.TerminateAsync();

        var refusal = await Eventually.WaitForAsync(async () =>
        {
            try
            {
                using var refused = await PostAsync(http, JobBodies.Simple("too-late-run", scenes: 1, voiceover: false));
                return refused.StatusCode == HttpStatusCode.ServiceUnavailable
                    ? new Refusal(refused.Headers.RetryAfter?.Delta, refused.Content.Headers.ContentType?.MediaType, await refused.Content.ReadAsStringAsync())
                    : null;
            }
            catch (HttpRequestException ex)
            {
                throw new Xunit.Sdk.XunitException($"the listener closed before the drain: {ex.Message}\n{service.Log}");
            }
        }, "the API to turn jobs away", TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(10), refusal.RetryAfter);
        Assert.Equal("application/problem+json", refusal.MediaType);
        Assert.Equal("https://videoakka.dev/problems/service-stopping", JsonDocument.Parse(refusal.Body).RootElement.GetProperty("type").GetString());
        using (var ready = await GetOrExplainAsync(http, "/healthz/ready", service))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        using (var live = await http.GetAsync("/healthz/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        await service.WaitForExitAsync();
        Assert.True(service.HasExited, service.Log);
        Assert.Equal("completed", JsonDocument.Parse((await redis.Db.StringGetAsync($"video_orchestrator:job:{jobId}")).ToString()).RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain(await redis.KeysAsync(), key => key.Contains("too-late-run", StringComparison.Ordinal));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/healthz/live"));
        Directory.Delete(dataRoot, recursive: true);
    }

    private static async Task<HttpResponseMessage> GetOrExplainAsync(HttpClient http, string path, WorkerProcess service)
    {
        try
        {
            return await http.GetAsync(path);
        }
        catch (HttpRequestException ex)
        {
            throw new Xunit.Sdk.XunitException($"the listener closed before the drain ended: {ex.Message}\n{service.Log}");
        }
    }

    private sealed record Refusal(TimeSpan? RetryAfter, string? MediaType, string Body);

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string json) =>
        http.PostAsync("/orchestrate/start", new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<string> SubmitAsync(HttpClient http, string json)
    {
        using var response = await PostAsync(http, json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetString()!;
    }

    private static async Task<string?> StatusAsync(HttpClient http, string jobId) =>
        JsonDocument.Parse(await http.GetStringAsync($"/orchestrate/status/{jobId}")).RootElement.GetProperty("status").GetString();
}
