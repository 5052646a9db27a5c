using System.Net;
using System.Text.Json;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11 (admission limits): when videoakka.api.max-queue-length jobs wait, a submission is refused with 429,
/// Retry-After and a problem body, nothing is written, and readiness reports the queue saturated (while staying ready,
/// so the 429 stays reachable) until one leaves.</summary>
public sealed class QueueLimitSpecs
{
    [Fact]
    public async Task A_full_queue_refuses_a_submission_with_429_and_retry_after_and_readiness_says_saturated()
    {
        await using var api = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.api.max-queue-length = 2", role: ServiceRole.Api);
        var first = await api.SubmitAsync(JobBodies.Simple("limit-1"));
        await api.SubmitAsync(JobBodies.Simple("limit-2"));
        var keysBefore = await api.Redis.KeysAsync();

        using var refused = await api.PostJsonAsync(JobBodies.Simple("limit-3"));
        using var saturated = await api.Http.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("10", refused.Headers.GetValues("Retry-After").Single());
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("https://videoakka.dev/problems/queue-full", problem.GetProperty("type").GetString());
        Assert.Equal(keysBefore, await api.Redis.KeysAsync());
        Assert.Equal(HttpStatusCode.OK, saturated.StatusCode); // still ready: the 429 must stay reachable
        Assert.Equal("saturated", JsonDocument.Parse(await saturated.Content.ReadAsStringAsync()).RootElement.GetProperty("queue").GetString());

        await JobControl.PostAsync(api, "cancel", first); // one leaves the queue
        using var ready = await api.Http.GetAsync("/healthz/ready");
        using var accepted = await api.PostJsonAsync(JobBodies.Simple("limit-3"));

        Assert.Equal("ok", JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("queue").GetString());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task A_retry_into_a_full_queue_is_refused_like_a_submission_and_leaves_the_job_as_it_was()
    {
        await using var api = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.api.max-queue-length = 1", role: ServiceRole.Api);
        var cancelled = await api.SubmitAsync(JobBodies.Simple("retried-later"));
        await JobControl.PostAsync(api, "cancel", cancelled);
        await api.SubmitAsync(JobBodies.Simple("fills-the-queue"));

        var (status, problem) = await JobControl.PostAsync(api, "retry", cancelled);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("https://videoakka.dev/problems/queue-full", problem.GetProperty("type").GetString());
        Assert.Equal("cancelled", (await api.StatusAsync(cancelled)).GetProperty("status").GetString());
        Assert.Equal(1, await api.Redis.Db.ListLengthAsync("video_orchestrator:queue"));
    }
}
