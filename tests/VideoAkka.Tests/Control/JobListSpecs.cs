using System.Net;
using System.Text.Json;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11: GET /orchestrate/jobs lists recent jobs newest first, paged with a cursor and filtered by status;
/// GET /orchestrate/dead-letter pages the dead letter newest first.</summary>
public sealed class JobListSpecs
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(ServiceUnderTest service, string path)
    {
        using var response = await service.Http.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static string[] Ids(JsonElement page, string list = "jobs", string id = "job_id") =>
        [.. page.GetProperty(list).EnumerateArray().Select(j => j.GetProperty(id).GetString()!)];

    [Fact]
    public async Task Jobs_are_listed_newest_first_in_pages_that_a_cursor_follows_to_the_end()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        var submitted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            submitted.Add(await api.SubmitAsync(JobBodies.Simple($"listed-{i}")));
        }

        var first = await GetAsync(api, "/orchestrate/jobs?limit=2");
        var second = await GetAsync(api, $"/orchestrate/jobs?limit=2&cursor={first.Body.GetProperty("next_cursor").GetString()}");
        var third = await GetAsync(api, $"/orchestrate/jobs?limit=2&cursor={second.Body.GetProperty("next_cursor").GetString()}");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        string[] listed = [.. Ids(first.Body), .. Ids(second.Body), .. Ids(third.Body)];
        Assert.Equal(Enumerable.Reverse(submitted).ToArray(), listed);
        Assert.Equal(JsonValueKind.Null, third.Body.GetProperty("next_cursor").ValueKind);
        var summary = first.Body.GetProperty("jobs")[0];
        Assert.Equal("queued", summary.GetProperty("status").GetString());
        Assert.Equal("listed-4", summary.GetProperty("run_id").GetString());
        Assert.False(summary.TryGetProperty("payload", out _));
    }

    [Fact]
    public async Task A_status_filter_lists_only_the_jobs_in_that_status()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        var kept = await api.SubmitAsync(JobBodies.Simple("kept"));
        var cancelled = await api.SubmitAsync(JobBodies.Simple("dropped"));
        await JobControl.PostAsync(api, "cancel", cancelled);

        var onlyCancelled = await GetAsync(api, "/orchestrate/jobs?status=cancelled");
        var onlyQueued = await GetAsync(api, "/orchestrate/jobs?status=queued");

        Assert.Equal([cancelled], Ids(onlyCancelled.Body));
        Assert.Equal([kept], Ids(onlyQueued.Body));
    }

    [Theory]
    [InlineData("/orchestrate/jobs?status=bogus", "status")]
    [InlineData("/orchestrate/jobs?limit=0", "limit")]
    [InlineData("/orchestrate/jobs?limit=101", "limit")]
    [InlineData("/orchestrate/jobs?cursor=..%2Fetc", "cursor")]
    [InlineData("/orchestrate/dead-letter?cursor=-1", "cursor")]
    [InlineData("/orchestrate/dead-letter?limit=1000", "limit")]
    public async Task A_bad_query_gets_400_naming_the_parameter(string path, string parameter)
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);

        var (status, body) = await GetAsync(api, path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("https://videoakka.dev/problems/invalid-query", body.GetProperty("type").GetString());
        Assert.True(body.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task The_dead_letter_is_paged_newest_first()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var failed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var jobId = await service.SubmitAsync(JobBodies.Simple($"dead-{i}", scenes: 1, voice: "zz-novoice"));
            await service.WaitUntilFinishedAsync(jobId);
            failed.Add(jobId);
        }

        var first = await GetAsync(service, "/orchestrate/dead-letter?limit=2");
        var second = await GetAsync(service, $"/orchestrate/dead-letter?limit=2&cursor={first.Body.GetProperty("next_cursor").GetString()}");

        Assert.Equal([failed[2], failed[1]], Ids(first.Body, "entries"));
        Assert.Equal([failed[0]], Ids(second.Body, "entries"));
        Assert.Equal(3, first.Body.GetProperty("total").GetInt64());
        Assert.Equal(JsonValueKind.Null, second.Body.GetProperty("next_cursor").ValueKind);
        Assert.Contains("tts", first.Body.GetProperty("entries")[0].GetProperty("error").GetString());
    }
}
