using System.Net;
using System.Text;
using System.Text.Json;
using VideoAkka.Host;
using VideoAkka.Http;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11, Must show 6 (API keys): with VIDEOAKKA_API_KEY set, every /orchestrate route wants one of its
/// keys in X-API-Key; health stays open.</summary>
public sealed class ApiKeySpecs
{
    private const string Current = "current-key-0123456789";
    private const string Previous = "previous-key-9876543210";

    private static HttpRequestMessage Request(HttpMethod method, string path, string? key, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }
        return request;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-key-0123456789")]
    [InlineData("current-key-012345678")] // one character short
    [InlineData("CURRENT-KEY-0123456789")]
    public async Task Every_orchestrate_route_refuses_a_request_without_a_valid_key_with_401_and_queues_nothing(string? key)
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api, apiKeys: $"{Current}, {Previous}");
        var job = Guid.NewGuid().ToString();

        foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Post, "/orchestrate/start", JobBodies.Simple("keyless")),
            (HttpMethod.Get, $"/orchestrate/status/{job}", null),
            (HttpMethod.Get, $"/orchestrate/video/{job}", null),
            (HttpMethod.Post, $"/orchestrate/cancel/{job}", null),
            (HttpMethod.Post, $"/orchestrate/retry/{job}", null),
        })
        {
            using var response = await api.Http.SendAsync(Request(method, path, key, body));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("https://videoakka.dev/problems/api-key-required", problem.GetProperty("type").GetString());
        }
        Assert.Empty(await api.Redis.KeysAsync());
    }

    [Theory]
    [InlineData(Current)]
    [InlineData(Previous)]
    public async Task Either_key_of_a_rotation_opens_the_api(string key)
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api, apiKeys: $"{Current},{Previous}");

        using var submitted = await api.Http.SendAsync(Request(HttpMethod.Post, "/orchestrate/start", key, JobBodies.Simple("keyed")));
        var jobId = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetString();
        using var status = await api.Http.SendAsync(Request(HttpMethod.Get, $"/orchestrate/status/{jobId}", key));

        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task Health_stays_open_without_a_key()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api, apiKeys: Current);

        using var live = await api.Http.GetAsync("/healthz/live");
        using var ready = await api.Http.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public void A_key_shorter_than_16_characters_stops_the_start_without_echoing_it()
    {
        var refused = Assert.Throws<ArgumentException>(() => ApiKeys.Parse("good-key-0123456789,short-one"));

        Assert.DoesNotContain("short-one", refused.Message);
        Assert.False(ApiKeys.Parse(null).Required);
    }
}
