using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VideoAkka.Http;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Browser;

/// <summary>A &lt;video&gt; cannot send X-API-Key: a client with the key gets a short-lived link to one job's video
/// (POST /orchestrate/video/{job_id}/link) that opens that video, with ranges, and nothing else.</summary>
public sealed class VideoLinkSpecs
{
    private const string Key = "web-page-test-key-0123456789";

    private static async Task<string> LinkAsync(ServiceUnderTest service, string jobId, string? key = Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/orchestrate/video/{jobId}/link");
        if (key is not null)
        {
            request.Headers.Add(ApiKeys.Header, key);
        }
        using var response = await service.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"link answered {(int)response.StatusCode}: {body}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return JsonDocument.Parse(body).RootElement.GetProperty("url").GetString()!;
    }

    private static async Task<string> CompletedJobAsync(ServiceUnderTest service, string runId)
    {
        service.Http.DefaultRequestHeaders.Remove(ApiKeys.Header);
        service.Http.DefaultRequestHeaders.Add(ApiKeys.Header, Key);
        var jobId = await service.SubmitAsync(JobBodies.Simple(runId, scenes: 1));
        Assert.Equal("completed", (await service.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
        service.Http.DefaultRequestHeaders.Remove(ApiKeys.Header);
        return jobId;
    }

    [Fact]
    public async Task A_video_link_plays_the_jobs_video_without_the_header_with_ranges()
    {
        await using var service = await ServiceUnderTest.StartAsync(apiKeys: Key);
        var jobId = await CompletedJobAsync(service, "linked-run");

        var url = await LinkAsync(service, jobId);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(0, 99);
        using var partial = await service.Http.SendAsync(request);
        using var plain = await service.Http.GetAsync($"/orchestrate/video/{jobId}");

        Assert.StartsWith($"/orchestrate/video/{jobId}?token=", url);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("video/mp4", partial.Content.Headers.ContentType?.MediaType);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode); // without the token the key is still required
    }

    [Fact]
    public async Task A_video_link_opens_no_other_job_and_no_other_route_and_a_changed_token_opens_nothing()
    {
        await using var service = await ServiceUnderTest.StartAsync(apiKeys: Key);
        var jobId = await CompletedJobAsync(service, "first-linked");
        var other = await CompletedJobAsync(service, "second-linked");
        var token = (await LinkAsync(service, jobId)).Split("token=")[1];
        var forged = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

        Assert.Equal(HttpStatusCode.Unauthorized, (await service.Http.GetAsync($"/orchestrate/video/{other}?token={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.Http.GetAsync($"/orchestrate/status/{jobId}?token={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.Http.GetAsync($"/orchestrate/video/{jobId}?token={forged}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.Http.PostAsync($"/orchestrate/video/{jobId}/link", null)).StatusCode);
    }

    [Fact]
    public void A_video_token_stops_working_when_it_expires_and_under_another_key()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(20000);
        var tokens = ApiKeys.Parse(Key).VideoTokens!;
        var (token, expiresAt) = tokens.Mint("0b0e5a52-54a4-4b5e-9c1d-5c1b2f0c9a11", now);

        Assert.Equal(now + VideoTokens.Lifetime, expiresAt);
        Assert.True(tokens.Accepts("0b0e5a52-54a4-4b5e-9c1d-5c1b2f0c9a11", token, expiresAt.AddSeconds(-1)));
        Assert.False(tokens.Accepts("0b0e5a52-54a4-4b5e-9c1d-5c1b2f0c9a11", token, expiresAt));
        Assert.False(ApiKeys.Parse("another-key-of-the-service-0123").VideoTokens!.Accepts("0b0e5a52-54a4-4b5e-9c1d-5c1b2f0c9a11", token, now));
        Assert.True(ApiKeys.Parse("another-key-of-the-service-0123," + Key).VideoTokens!.Accepts("0b0e5a52-54a4-4b5e-9c1d-5c1b2f0c9a11", token, now)); // while a key is rotated out
    }

    [Fact]
    public async Task Without_api_keys_the_link_is_the_plain_video_url()
    {
        await using var service = await ServiceUnderTest.StartAsync(role: VideoAkka.Host.ServiceRole.Api);

        Assert.Equal("/orchestrate/video/0b0e5a52-54a4-4b5e-9c1d-5c1b2f0c9a11", await LinkAsync(service, "0b0e5a52-54a4-4b5e-9c1d-5c1b2f0c9a11", key: null));
    }
}
