using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using VideoAkka.Http;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Live;

/// <summary>One service with API keys set, whose reference every spec reads without a key.</summary>
public sealed class ApiReferenceService : IAsyncLifetime
{
    public const string Key = "reference-spec-key-0123456789";

    public ServiceUnderTest Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await ServiceUnderTest.StartAsync(apiKeys: Key);

    public async Task DisposeAsync() => await Service.DisposeAsync();
}

/// <summary>
/// Issue 12, Must show 3: `/docs` renders the reference; the OpenAPI document validates and lists every route and
/// problem type; every job status is documented in one place.
/// </summary>
public sealed class ApiReferenceSpecs(ApiReferenceService fixture) : IClassFixture<ApiReferenceService>
{
    private const string DocumentPath = "/openapi/v1.json";

    private ServiceUnderTest Service => fixture.Service;

    private async Task<string> DocumentJsonAsync()
    {
        using var response = await Service.Http.GetAsync(DocumentPath); // no X-API-Key: the reference is public
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_document_is_public_and_parses_as_OpenAPI_3_1_with_no_errors()
    {
        var json = await DocumentJsonAsync();

        var (document, diagnostic) = OpenApiDocument.Parse(json, "json");

        Assert.NotNull(document);
        Assert.NotNull(diagnostic);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Empty(diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.Equal("VideoAkka API", document.Info.Title);
    }

    [Fact]
    public async Task The_document_lists_every_route_the_service_maps_each_with_its_name_summary_description_and_tag()
    {
        var mapped = new HashSet<string>();
        var hidden = new List<string>();
        foreach (var endpoint in Service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            {
                hidden.Add(path);
                continue;
            }
            Assert.NotEmpty(methods); // a route for every method could not be documented method by method
            mapped.UnionWith(methods.Select(m => $"{m} {path}"));
        }
        var documented = new HashSet<string>();
        foreach (var path in JsonDocument.Parse(await DocumentJsonAsync()).RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                documented.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                // The generator lists a route with no annotations too: being listed is not being documented.
                foreach (var field in new[] { "operationId", "summary", "description" })
                {
                    Assert.True(operation.Value.TryGetProperty(field, out var text) && text.GetString()?.Length > 0, $"{operation.Name} {path.Name} has no {field}");
                }
                Assert.True(operation.Value.TryGetProperty("tags", out var tags) && tags.GetArrayLength() > 0, $"{operation.Name} {path.Name} has no tag");
                if (path.Name.StartsWith("/orchestrate/", StringComparison.Ordinal))
                {
                    Assert.True(operation.Value.TryGetProperty("security", out _), $"{operation.Name} {path.Name} does not say it needs the API key");
                    Assert.True(operation.Value.GetProperty("responses").TryGetProperty("401", out _), $"{operation.Name} {path.Name} has no 401");
                }
            }
        }

        Assert.Contains("POST /orchestrate/start", mapped); // the comparison reads the real routes
        Assert.Equal(mapped.Order(), documented.Order());
        // Only the reference itself stays out of the document.
        Assert.All(hidden, path => Assert.True(path.StartsWith("/openapi/", StringComparison.Ordinal) || path.StartsWith("/docs", StringComparison.Ordinal), path));
    }

    [Fact]
    public async Task Every_problem_type_the_API_can_answer_is_in_the_document_with_its_status_and_title()
    {
        var produced = ProducibleProblems();
        var schema = JsonDocument.Parse(await DocumentJsonAsync()).RootElement.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails");
        var enumerated = schema.GetProperty("properties").GetProperty("type").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var listed = schema.GetProperty("x-problem-types").EnumerateArray()
            .ToDictionary(p => p.GetProperty("type").GetString()!, p => (p.GetProperty("status").GetInt32(), p.GetProperty("title").GetString()!));

        Assert.True(produced.Count >= 19, $"only {produced.Count} problem types found in Problems");
        Assert.Equal(produced.Keys.Order(), enumerated.Order()); // none missing, none stale
        Assert.All(produced, p => Assert.Equal(p.Value, listed[p.Key]));
    }

    /// <summary>Calls every factory of <see cref="Problems"/> with harmless arguments: the types, statuses and titles
    /// the API can really answer, read from the code rather than from a list kept beside it.</summary>
    private static Dictionary<string, (int Status, string Title)> ProducibleProblems()
    {
        var found = new Dictionary<string, (int, string)>();
        foreach (var method in typeof(Problems).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == typeof(ProblemHttpResult)))
        {
            var arguments = method.GetParameters().Select(object (p) => p.ParameterType switch
            {
                var t when t == typeof(string) => "x",
                var t when t == typeof(int) => 1,
                var t when t == typeof(long) => 1L,
                var t when t == typeof(JobStatus) => JobStatus.Running,
                var t when t == typeof(HttpResponse) => new DefaultHttpContext().Response,
                var t when t == typeof(IReadOnlyList<ValidationError>) => new List<ValidationError> { new("script", "is required") },
                var t => throw new InvalidOperationException($"{method.Name} takes a {t.Name}: teach this spec a value for it"),
            }).ToArray();
            var problem = ((ProblemHttpResult)method.Invoke(null, arguments)!).ProblemDetails;
            found[problem.Type!] = (problem.Status!.Value, problem.Title!);
        }
        return found;
    }

    [Fact]
    public async Task The_docs_page_is_public_and_loads_nothing_but_its_own_assets()
    {
        using var response = await Service.Http.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();

        // Script and icon paths resolve against the page; the document's ("sources") against the app's base path,
        // as Scalar's scalar.aspnetcore.js does.
        var pageRelative = Regex.Matches(html, """(?:src|href)="([^"]+)"|"favicon":"([^"]+)"|import [^;]* from '([^']+)'""")
            .Select(m => m.Groups.Values.Skip(1).First(g => g.Success).Value).ToArray();
        var rootRelative = Regex.Matches(html, "\"url\":\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Contains("scalar.js", pageRelative);
        Assert.Equal(["openapi/v1.json"], rootRelative);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("//", pageRelative.Select(a => a[..Math.Min(2, a.Length)]));
        Assert.Contains("\"withDefaultFonts\":false", html); // Scalar's fonts would come from its CDN
        Assert.Contains("\"telemetry\":false", html);
        var page = new Uri(Service.Http.BaseAddress!, "/docs/");
        foreach (var asset in pageRelative.Select(a => new Uri(page, a)).Concat(rootRelative.Select(a => new Uri(Service.Http.BaseAddress!, a))))
        {
            using var answer = await Service.Http.GetAsync(asset);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{asset} answered {(int)answer.StatusCode}");
        }
    }

    [Fact]
    public async Task The_docs_page_renders_the_operations_in_a_real_browser()
    {
        var page = new Uri(Service.Http.BaseAddress!, "/docs/").ToString();
        var profile = Directory.CreateTempSubdirectory("videoakka-chromium-");
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var result = await Cli.Wrap("chromium")
                .WithArguments(["--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={profile.FullName}", "--virtual-time-budget=10000", "--dump-dom", page])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(patience.Token);
            Assert.True(result.ExitCode == 0, $"chromium exited {result.ExitCode}: {result.StandardError}");
            var dom = result.StandardOutput;

            // Summaries and descriptions that exist only in the OpenAPI document: the page fetched it and rendered it.
            Assert.Contains("Submit a video job", dom);
            Assert.Contains("Read a job's record", dom);
            Assert.Contains("Download a job's video", dom);
            Assert.Contains("Read a job's video length", dom);
            Assert.Contains("Turns a narration script and scene prompts into a finished short video", dom); // the document's own description
            using var raw = await Service.Http.GetAsync("/docs/");
            Assert.DoesNotContain("Submit a video job", await raw.Content.ReadAsStringAsync());
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Each_job_status_is_described_once_and_every_status_field_points_at_that_description()
    {
        var root = JsonDocument.Parse(await DocumentJsonAsync()).RootElement;
        var schemas = root.GetProperty("components").GetProperty("schemas");
        var status = schemas.GetProperty("JobStatus");

        Assert.Equal(Enum.GetValues<JobStatus>().Select(s => s.ToWire()), status.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var meanings = status.GetProperty("x-enumDescriptions");
        Assert.All(Enum.GetValues<JobStatus>(), s => Assert.False(string.IsNullOrWhiteSpace(meanings.GetProperty(s.ToWire()).GetString())));
        const string reference = "#/components/schemas/JobStatus";
        Assert.Equal(reference, schemas.GetProperty("JobRecord").GetProperty("properties").GetProperty("status").GetProperty("$ref").GetString());
        Assert.Equal(reference, schemas.GetProperty("JobSummary").GetProperty("properties").GetProperty("status").GetProperty("$ref").GetString());
        Assert.Equal(reference, schemas.GetProperty("JobUpdate").GetProperty("properties").GetProperty("status").GetProperty("$ref").GetString());
        Assert.Equal(reference, schemas.GetProperty("WebhookPayload").GetProperty("properties").GetProperty("data").GetProperty("properties").GetProperty("status").GetProperty("$ref").GetString());
        // Nowhere else is a status's enum spelled out again.
        Assert.Equal(1, Regex.Count(root.GetRawText(), "\"enum\":\\s*\\[\\s*\"queued\",\\s*\"running\""));
    }

    [Fact]
    public async Task The_README_job_statuses_table_says_what_the_document_says()
    {
        var meanings = JsonDocument.Parse(await DocumentJsonAsync()).RootElement
            .GetProperty("components").GetProperty("schemas").GetProperty("JobStatus").GetProperty("x-enumDescriptions");
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var table = readme[readme.IndexOf("## Job statuses", StringComparison.Ordinal)..];

        foreach (var status in Enum.GetValues<JobStatus>().Select(s => s.ToWire()))
        {
            Assert.Contains($"| `{status}` | {meanings.GetProperty(status).GetString()} |", table);
        }
    }

    [Fact]
    public async Task The_submit_example_is_samples_demo_json_and_the_request_schema_requires_script_and_prompts()
    {
        var root = JsonNode.Parse(await DocumentJsonAsync())!;
        var body = root["paths"]!["/orchestrate/start"]!["post"]!["requestBody"]!["content"]!["application/json"]!;
        var demo = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "demo.json")));

        Assert.True(JsonNode.DeepEquals(demo, body["example"]), "the example is not samples/demo.json");
        Assert.Equal("#/components/schemas/JobRequest", body["schema"]!["$ref"]!.GetValue<string>());
        var required = root["components"]!["schemas"]!["JobRequest"]!["required"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(["prompts", "script"], required.Order());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && File.Exists(Path.Combine(dir.FullName, "VideoAkka.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no checkout above {AppContext.BaseDirectory}");
    }
}
