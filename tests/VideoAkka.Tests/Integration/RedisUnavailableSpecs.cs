using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Issue 11: with Redis unreachable (the test's redis-server stopped) every route that needs it answers 503
/// with Retry-After and a problem body that does not name the Redis endpoint; liveness stays 200.</summary>
public sealed class RedisUnavailableSpecs : IAsyncLifetime
{
    private ServiceUnderTest _api = null!;
    private string _jobId = "";

    public async Task InitializeAsync()
    {
        _api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        _jobId = await _api.SubmitAsync(JobBodies.Simple("before-the-outage"));
        await _api.Redis.StopAsync();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("GET", "/orchestrate/status/{job}")]
    [InlineData("GET", "/orchestrate/video/{job}")]
    [InlineData("POST", "/orchestrate/start")]
    [InlineData("GET", "/healthz/ready")]
    public async Task A_route_that_needs_redis_answers_503_with_retry_after_and_a_problem_body(string method, string route)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), route.Replace("{job}", _jobId));
        if (method == "POST")
        {
            request.Content = new StringContent(JobBodies.Simple("during-the-outage"), Encoding.UTF8, "application/json");
        }

        using var response = await _api.Http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After was {response.Headers.RetryAfter}");
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(503, problem["status"]!.GetValue<int>());
        Assert.Equal("https://videoakka.dev/problems/queue-unavailable", problem["type"]!.GetValue<string>());
        Assert.DoesNotContain(_api.Redis.Port.ToString(), text);
        Assert.DoesNotContain("127.0.0.1", text);
    }

    [Fact]
    public async Task Liveness_stays_200_while_redis_is_down()
    {
        using var response = await _api.Http.GetAsync("/healthz/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_comes_back_to_200_once_redis_is_back()
    {
        using (var down = await _api.Http.GetAsync("/healthz/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }

        await _api.Redis.StartAgainAsync();

        await Eventually.WaitUntilAsync(async () =>
        {
            using var ready = await _api.Http.GetAsync("/healthz/ready");
            return ready.StatusCode == HttpStatusCode.OK;
        }, "readiness to return once Redis is back", TimeSpan.FromMinutes(1));
    }
}
