using System.Net;
using System.Text.Json;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>A job record in Redis that this service did not write (edited by hand, written by another program) gets a
/// clear 409 from the routes that act on it, is left out of the job list, and is never a 500.</summary>
public sealed class UnreadableRecordSpecs
{
    private const string JobId = "6f1c2e0a-3b7d-4c5e-9a8b-1d2e3f4a5b6c";

    [Theory]
    [InlineData("cancel")]
    [InlineData("retry")]
    public async Task Cancel_and_retry_of_an_unreadable_record_answer_409_and_change_nothing(string action)
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        await api.Redis.Db.StringSetAsync($"video_orchestrator:job:{JobId}", "{\"status\": 42, not json");

        var (status, problem) = await JobControl.PostAsync(api, action, JobId);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("https://videoakka.dev/problems/job-record-unreadable", problem.GetProperty("type").GetString());
        Assert.Equal("{\"status\": 42, not json", (string?)await api.Redis.Db.StringGetAsync($"video_orchestrator:job:{JobId}"));
    }

    [Fact]
    public async Task The_video_of_an_unreadable_record_answers_409()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        await api.Redis.Db.StringSetAsync($"video_orchestrator:job:{JobId}", "[1, 2, 3]");

        using var response = await api.Http.GetAsync($"/orchestrate/video/{JobId}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_job_list_leaves_out_an_unreadable_record_and_lists_the_others()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        var readable = await api.SubmitAsync(JobBodies.Simple("readable-run"));
        var broken = await api.SubmitAsync(JobBodies.Simple("broken-run"));
        await api.Redis.Db.StringSetAsync($"video_orchestrator:job:{broken}", "not a record");

        using var response = await api.Http.GetAsync("/orchestrate/jobs");
        var listed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("jobs")
            .EnumerateArray().Select(j => j.GetProperty("job_id").GetString()!).ToArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([readable], listed);
    }
}
