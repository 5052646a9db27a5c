using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>One service, with an API key and a worker, that every bad request is sent to.</summary>
public sealed class BadInputService : IAsyncLifetime
{
    public ServiceUnderTest Service { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Service = await ServiceUnderTest.StartAsync(apiKeys: BadInputCases.ValidKey);

    public async Task DisposeAsync() => await Service.DisposeAsync();
}

/// <summary>
/// Issue 11, Must show 6: every request in <see cref="BadInputCases"/> is answered with its 4xx and a problem body,
/// none with a 5xx, none hangs, nothing is queued and no file appears outside DATA_SHARED_BASE (nor inside it).
/// </summary>
public sealed class BadInputSpecs(BadInputService fixture) : IClassFixture<BadInputService>
{
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Cases => [.. BadInputCases.All.Keys];

    [Fact]
    public void The_table_holds_at_least_a_hundred_cases() =>
        Assert.True(BadInputCases.All.Count >= 100, $"only {BadInputCases.All.Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_request_gets_its_4xx_with_a_problem_body_and_leaves_nothing_behind(string name)
    {
        var badInput = BadInputCases.All[name];
        var service = fixture.Service;

        using var response = await SendAsync(service, badInput);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == badInput.Expected, $"{name}: expected {badInput.Expected}, got {(int)response.StatusCode}: {text}");
        if (badInput.RefusedByKestrel)
        {
            Assert.Equal("", text);
        }
        else
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal(badInput.Expected, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        }
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(BadInputCases.ValidKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(await service.Redis.KeysAsync(), key => key.StartsWith("video_orchestrator:job:", StringComparison.Ordinal));
        Assert.Empty(EntriesOf(service.DataRoot));
        Assert.Empty(MarkedEntries(service));
    }

    private static async Task<HttpResponseMessage> SendAsync(ServiceUnderTest service, BadInputCase badInput)
    {
        using var request = new HttpRequestMessage(badInput.Method, badInput.Path);
        if (badInput.Body is not null)
        {
            request.Content = badInput.Chunked ? new StreamContent(new MemoryStream(badInput.Body)) : new ByteArrayContent(badInput.Body);
            if (badInput.Chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }
            if (badInput.ContentType is not null)
            {
                // Set without parsing: a garbage Content-Type must reach the service as it is.
                request.Content.Headers.TryAddWithoutValidation("Content-Type", badInput.ContentType);
            }
        }
        if (badInput.ApiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-API-Key", badInput.ApiKey);
        }
        foreach (var (header, value) in badInput.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
        using var noHang = new CancellationTokenSource(NoHang);
        try
        {
            return await service.Http.SendAsync(request, noHang.Token);
        }
        catch (OperationCanceledException) when (noHang.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"{badInput.Name}: no answer within {NoHang.TotalSeconds} s");
        }
    }

    private static IEnumerable<string> EntriesOf(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder) : [];

    /// <summary>Anything named with the cases' marker: in the test's own temporary tree (around DATA_SHARED_BASE), in
    /// /tmp and in the working directory.</summary>
    private static IEnumerable<string> MarkedEntries(ServiceUnderTest service)
    {
        var pattern = "*" + BadInputCases.Marker + "*";
        var sandbox = Path.GetDirectoryName(service.DataRoot)!;
        return
        [
            .. Directory.EnumerateFileSystemEntries(sandbox, pattern, SearchOption.AllDirectories),
            .. Directory.EnumerateFileSystemEntries(Path.GetTempPath(), pattern),
            .. Directory.EnumerateFileSystemEntries(Directory.GetCurrentDirectory(), pattern),
        ];
    }
}
