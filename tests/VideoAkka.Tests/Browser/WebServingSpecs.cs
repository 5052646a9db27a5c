using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Browser;

/// <summary>Issue 12: the API serves the built page at / (hashed assets cached for good, the page itself never stale,
/// the page's own paths falling back to it), while the API's prefixes keep their own 404 problems.</summary>
public sealed class WebServingSpecs
{
    /// <summary>A client that takes HTML (so would take the page) and JSON (so gets a problem body).</summary>
    private const string HtmlOrJson = "text/html,application/json";

    private static async Task<HttpResponseMessage> GetAsync(ServiceUnderTest service, string path, string accept = "text/html")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var type in accept.Split(','))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        return await service.Http.SendAsync(request);
    }

    [Fact]
    public async Task The_page_is_served_at_the_root_with_no_cache_and_its_hashed_assets_are_immutable()
    {
        WebBuild.RequireBuilt();
        await using var service = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);

        using var page = await GetAsync(service, "/");
        var html = await page.Content.ReadAsStringAsync();
        var script = Regex.Match(html, "/assets/[A-Za-z0-9_.-]+\\.js").Value;
        using var asset = await GetAsync(service, script, "*/*");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        Assert.Contains("<div id=\"root\">", html);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl?.ToString());
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal)); // no CDN
    }

    [Theory]
    [InlineData("/jobs/some-job")]
    [InlineData("/anything/else")]
    public async Task A_page_path_a_browser_navigates_to_gets_the_page(string path)
    {
        WebBuild.RequireBuilt();
        await using var service = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);

        using var response = await GetAsync(service, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<div id=\"root\">", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/orchestrate/nothing-here", HtmlOrJson, HttpStatusCode.NotFound)]
    [InlineData("/healthz/nothing", HtmlOrJson, HttpStatusCode.NotFound)]
    [InlineData("/metrics/x", HtmlOrJson, HttpStatusCode.NotFound)]
    [InlineData("/docs/x/y", HtmlOrJson, HttpStatusCode.NotFound)] // /docs/{name} is Scalar's own
    [InlineData("/openapi/x.json", HtmlOrJson, HttpStatusCode.NotFound)]
    [InlineData("/frontend/webhook/nothing", HtmlOrJson, HttpStatusCode.NotFound)]
    [InlineData("/assets/gone-1234.js", HtmlOrJson, HttpStatusCode.NotFound)]
    [InlineData("/some/page", "application/json", HttpStatusCode.NotFound)]
    [InlineData("/orchestrate/start", HtmlOrJson, HttpStatusCode.MethodNotAllowed)]
    public async Task The_apis_paths_and_non_html_requests_never_get_the_page(string path, string accept, HttpStatusCode expected)
    {
        WebBuild.RequireBuilt();
        await using var service = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);

        using var response = await GetAsync(service, path, accept);

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("<div id=\"root\">", await response.Content.ReadAsStringAsync());
        if (expected == HttpStatusCode.NotFound)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Without_a_build_the_root_says_how_to_build_the_page()
    {
        var empty = Directory.CreateTempSubdirectory(ServiceUnderTest.TempFolderPrefix);
        try
        {
            await using var service = await ServiceUnderTest.StartAsync(role: ServiceRole.Api, webRoot: empty.FullName);

            using var response = await GetAsync(service, "/");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("npm ci &amp;&amp; npm run build", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_web_root_that_does_not_exist_stops_the_start_naming_the_setting()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"videoakka-no-such-web-{Guid.NewGuid():N}");

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => ServiceUnderTest.StartAsync(role: ServiceRole.Api, webRoot: missing));

        Assert.Contains("VIDEOAKKA_WEB_ROOT", refusal.Message);
    }
}
