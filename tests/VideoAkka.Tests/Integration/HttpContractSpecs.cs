using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Must show 6: every bad input gets its 4xx RFC 7807 problem body, and loses nothing.</summary>
public sealed class HttpContractSpecs : IAsyncLifetime
{
    private ServiceUnderTest _api = null!;

    // API only: jobs stay queued, so nothing but the request decides what happens.
    public async Task InitializeAsync() => _api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public static TheoryData<string, string> BadBodies => new()
    {
        { "malformed JSON", """{"script": "hi", "prompts": [""" },
        { "not an object", """["script", "prompts"]""" },
        { "missing script", """{"prompts": ["a"], "run_id": "r1"}""" },
        { "empty script", """{"script": "  ", "prompts": ["a"], "run_id": "r1"}""" },
        { "script not a string", """{"script": 42, "prompts": ["a"], "run_id": "r1"}""" },
        { "missing prompts", """{"script": "hi", "run_id": "r1"}""" },
        { "empty prompts", """{"script": "hi", "prompts": [], "run_id": "r1"}""" },
        { "prompts not a list", """{"script": "hi", "prompts": "a", "run_id": "r1"}""" },
        { "a prompt that is a number", """{"script": "hi", "prompts": ["a", 7], "run_id": "r1"}""" },
        { "a prompt object without image", """{"script": "hi", "prompts": [{"video": "pan"}], "run_id": "r1"}""" },
        { "101 prompts", $$"""{"script": "hi", "prompts": [{{string.Join(",", Enumerable.Repeat("\"a\"", 101))}}], "run_id": "r1"}""" },
        { "a prompt over 4000 characters", $$"""{"script": "hi", "prompts": ["{{new string('x', 4001)}}"], "run_id": "r1"}""" },
        { "run_id with traversal", """{"script": "hi", "prompts": ["a"], "run_id": "../etc"}""" },
        { "run_id with a slash", """{"script": "hi", "prompts": ["a"], "run_id": "a/b"}""" },
        { "run_id starting with a dot", """{"script": "hi", "prompts": ["a"], "run_id": ".redis"}""" },
        { "run_id empty", """{"script": "hi", "prompts": ["a"], "run_id": ""}""" },
        { "run_id too long", $$"""{"script": "hi", "prompts": ["a"], "run_id": "{{new string('r', 129)}}"}""" },
        { "unknown aspect", """{"script": "hi", "prompts": ["a"], "run_id": "r1", "options": {"aspect": "4:3"}}""" },
        { "a duration of zero", """{"script": "hi", "prompts": [{"image": "a", "duration": 0}], "run_id": "r1"}""" },
        { "a duration too short to render", """{"script": "hi", "prompts": [{"image": "a", "duration": 0.0001}], "run_id": "r1"}""" },
        { "a script with no words", """{"script": "?! ...", "prompts": ["a"], "run_id": "r1"}""" },
        { "a lone surrogate in the script", """{"script": "\ud800", "prompts": ["a"], "run_id": "r1"}""" },
        { "a lone surrogate in a property name", """{"scr\udc00ipt": "hi", "prompts": ["a"], "run_id": "r1"}""" },
        { "a lone surrogate in a field nobody reads", """{"script": "hi", "prompts": ["a"], "run_id": "r1", "extra": "\ud800"}""" },
        { "a lone surrogate in a prompt object's extra field", """{"script": "hi", "prompts": [{"image": "a", "note": "\udc00"}], "run_id": "r1"}""" },
        { "a lone surrogate in an options property name", """{"script": "hi", "prompts": ["a"], "run_id": "r1", "options": {"x\ud800": 1}}""" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_request_gets_400_with_a_problem_body_and_queues_nothing(string why, string body)
    {
        using var response = await _api.PostJsonAsync(body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, why);
        Assert.Empty(await _api.Redis.KeysAsync());
    }

    [Fact]
    public async Task A_run_id_of_dot_dot_etc_never_touches_the_file_system()
    {
        var parent = Path.GetDirectoryName(_api.DataRoot)!;
        var before = Directory.GetFileSystemEntries(parent, "*", SearchOption.AllDirectories).Order().ToArray();

        using var response = await _api.PostJsonAsync("""{"script": "hi", "prompts": ["a"], "run_id": "../etc"}""");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "traversal");
        Assert.Equal(before, Directory.GetFileSystemEntries(parent, "*", SearchOption.AllDirectories).Order().ToArray());
        Assert.False(Directory.Exists(Path.Combine(parent, "etc")));
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_gets_413()
    {
        var body = $$"""{"script": "{{new string('s', 1024 * 1024)}}", "prompts": ["a"], "run_id": "big"}""";

        using var response = await _api.PostJsonAsync(body);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "content-length over the limit");
        Assert.Empty(await _api.Redis.KeysAsync());
    }

    [Fact]
    public async Task A_chunked_body_over_one_mebibyte_gets_413()
    {
        var bytes = Encoding.UTF8.GetBytes($$"""{"script": "{{new string('s', 1024 * 1024)}}", "prompts": ["a"], "run_id": "big"}""");
        using var content = new StreamContent(new MemoryStream(bytes)); // no length: sent chunked
        content.Headers.ContentType = new("application/json");

        using var response = await _api.Http.PostAsync("/orchestrate/start", content);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "chunked over the limit");
    }

    [Fact]
    public async Task The_same_run_id_while_its_job_is_queued_gets_409_naming_the_existing_job()
    {
        var first = await _api.SubmitAsync(JobBodies.Simple("busy-run"));

        using var response = await _api.PostJsonAsync(JobBodies.Simple("busy-run"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "duplicate run id");
        Assert.Equal(first, problem["existing_job_id"]!.GetValue<string>());
        Assert.Contains(first, problem["detail"]!.GetValue<string>());
        Assert.Equal(1, await _api.Redis.Db.ListLengthAsync("video_orchestrator:queue"));
    }

    [Fact]
    public async Task An_accepted_job_gets_202_with_its_id_and_status_location()
    {
        using var response = await _api.PostJsonAsync(JobBodies.Simple("accepted-run"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["job_id", "status"], body.Select(p => p.Key).Order());
        Assert.Equal("queued", body["status"]!.GetValue<string>());
        var jobId = body["job_id"]!.GetValue<string>();
        Assert.True(Guid.TryParse(jobId, out _));
        Assert.Equal($"/orchestrate/status/{jobId}", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_request_without_run_id_uses_its_job_id_as_the_run_id()
    {
        var jobId = await _api.SubmitAsync("""{"script": "hi", "prompts": ["a"]}""");

        var record = await _api.StatusAsync(jobId);

        Assert.Equal(jobId, record.GetProperty("run_id").GetString());
        Assert.Equal(_api.Folder(jobId), record.GetProperty("output_dir").GetString());
    }

    [Theory]
    [InlineData("/orchestrate/status/6f1c1f7e-0000-4000-8000-000000000000")]
    [InlineData("/orchestrate/status/not-a-job")]
    [InlineData("/orchestrate/video/6f1c1f7e-0000-4000-8000-000000000000")]
    [InlineData("/orchestrate/video/..%2F..%2Fetc%2Fpasswd")]
    public async Task An_unknown_job_gets_404_with_a_problem_body(string path)
    {
        using var response = await _api.Http.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, path);
    }

    [Fact]
    public async Task The_video_of_a_job_that_is_not_completed_gets_409_with_its_status()
    {
        var jobId = await _api.SubmitAsync(JobBodies.Simple("waiting-run"));

        using var response = await _api.Http.GetAsync($"/orchestrate/video/{jobId}");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "not completed");
        Assert.Equal("queued", problem["job_status"]!.GetValue<string>());
    }

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string why)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{why}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), why);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), why);
        Assert.StartsWith("https://", problem["type"]!.GetValue<string>());
        Assert.DoesNotContain(" at VideoAkka.", text); // never a stack trace
        return problem;
    }
}
