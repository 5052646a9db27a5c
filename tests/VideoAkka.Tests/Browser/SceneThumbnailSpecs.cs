using System.Net;
using System.Text.Json;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Browser;

/// <summary>GET /orchestrate/jobs/{job_id}/scenes/{index}/thumbnail: a scene's image once it is made, a 404 problem
/// before, and nothing a URL can point outside the job's own scenes.</summary>
public sealed class SceneThumbnailSpecs
{
    private static async Task<(HttpStatusCode Status, string? Type, string? Problem)> GetAsync(ServiceUnderTest service, string path)
    {
        using var response = await service.Http.GetAsync(path);
        var type = response.Content.Headers.ContentType?.MediaType;
        string? problem = null;
        if (type == "application/problem+json")
        {
            problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString()!.Split('/')[^1];
        }
        return (response.StatusCode, type, problem);
    }

    [Fact]
    public async Task A_scenes_image_is_a_404_problem_until_it_is_made_then_a_png()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        var jobId = await api.SubmitAsync(JobBodies.Simple("thumbnail-run", scenes: 2));
        var before = await GetAsync(api, $"/orchestrate/jobs/{jobId}/scenes/1/thumbnail");

        await using (var worker = await ServiceUnderTest.StartAsync(role: ServiceRole.Worker, redis: api.Redis, dataRoot: api.DataRoot))
        {
            Assert.Equal("completed", (await api.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
        }
        using var after = await api.Http.GetAsync($"/orchestrate/jobs/{jobId}/scenes/2/thumbnail");
        var png = await after.Content.ReadAsByteArrayAsync();

        Assert.Equal((HttpStatusCode.NotFound, "thumbnail-not-ready"), (before.Status, before.Problem));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("image/png", after.Content.Headers.ContentType?.MediaType);
        Assert.Equal("private, max-age=60", after.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(api.Folder("thumbnail-run"), "img_002.png")), png);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3")]
    [InlineData("01x")]
    [InlineData("..%2F..%2Fmanifest.json")]
    [InlineData("img_001.png")]
    [InlineData("99999999999")]
    public async Task A_scene_number_the_job_does_not_have_is_a_404_problem(string index)
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        var jobId = await api.SubmitAsync(JobBodies.Simple("bad-scene-run", scenes: 2));

        var answer = await GetAsync(api, $"/orchestrate/jobs/{jobId}/scenes/{index}/thumbnail");

        Assert.Equal((HttpStatusCode.NotFound, "unknown-scene"), (answer.Status, answer.Problem));
    }

    [Theory]
    [InlineData("not-a-job")]
    [InlineData("0b0e5a52-54a4-4b5e-9c1d-5c1b2f0c9a11")]
    public async Task An_unknown_job_is_a_404_problem(string jobId)
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);

        var answer = await GetAsync(api, $"/orchestrate/jobs/{jobId}/scenes/1/thumbnail");

        Assert.Equal((HttpStatusCode.NotFound, "unknown-job"), (answer.Status, answer.Problem));
    }
}
