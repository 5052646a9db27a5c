using VideoAkka.Pipeline.Generation;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Unit;

/// <summary>One guarded fetch for every URL a request names (image_url, music): status, media type, byte limit and
/// timeout, each failure saying which setting bounds it and never the URL.</summary>
public sealed class GuardedDownloadSpecs : IAsyncLifetime
{
    private static readonly DownloadRules Image = new("image_url", 1024 * 1024, "videoakka.inputs.image-url.max-bytes",
        TimeSpan.FromSeconds(10), "videoakka.inputs.image-url.timeout", "image/", "an image");

    private static readonly DownloadRules Music = new("music URL", 1024 * 1024, "videoakka.inputs.music.max-bytes",
        TimeSpan.FromSeconds(10), "videoakka.inputs.music.timeout");

    private readonly string _folder = Directory.CreateTempSubdirectory($"videoakka-test-download-{Environment.ProcessId}-").FullName;
    private readonly HttpClient _http = new();
    private ImageServer _server = null!;

    private string Target => Path.Combine(_folder, "download");

    public async Task InitializeAsync() => _server = await ImageServer.StartAsync(slowDelay: TimeSpan.FromMilliseconds(50));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        TestRedis.DeleteFolder(_folder);
    }

    private Task FetchAsync(string path, DownloadRules rules) => GuardedDownload.ToFileAsync(_http, new Uri(_server.Url + path), Target, rules, default);

    [Fact]
    public async Task An_answer_within_the_rules_is_written_to_the_file()
    {
        await FetchAsync("/pic.png", Image);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(Target))[..4]);
    }

    [Fact]
    public async Task An_answer_of_another_media_type_is_refused_where_the_rules_ask_for_one_and_taken_where_they_do_not()
    {
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => FetchAsync("/not-an-image", Image));
        await FetchAsync("/not-an-image", Music);

        Assert.Equal("image_url is not an image (Content-Type text/plain)", refused.Message);
        Assert.Equal("hello", await File.ReadAllTextAsync(Target));
    }

    [Fact]
    public async Task An_answer_over_the_byte_limit_is_refused_naming_the_setting()
    {
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => FetchAsync("/big.png", Music));

        Assert.Equal("music URL is larger than videoakka.inputs.music.max-bytes (1048576 bytes)", refused.Message);
    }

    [Fact]
    public async Task A_failing_status_is_named()
    {
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => FetchAsync("/slow-404", Image));

        Assert.Equal("image_url answered 404", refused.Message);
    }

    [Fact]
    public async Task An_answer_slower_than_the_timeout_fails_naming_the_setting()
    {
        var refused = await Assert.ThrowsAsync<TimeoutException>(() => FetchAsync("/slow-404", Music with { Timeout = TimeSpan.FromMilliseconds(1) }));

        Assert.StartsWith("music URL did not answer within 00:00:00.0010000 (videoakka.inputs.music.timeout)", refused.Message);
    }

    [Fact]
    public async Task A_host_that_cannot_be_reached_is_named_without_the_urls_path_or_query()
    {
        // Bound and never listening for the spec's length: no other test's server can take the port meanwhile.
        using var closed = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        closed.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var url = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)closed.LocalEndPoint!).Port}/private/path.png?token=s3cret");

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => GuardedDownload.ToFileAsync(_http, url, Target, Image, default));

        Assert.StartsWith("image_url could not be fetched from 127.0.0.1: ", refused.Message);
        Assert.DoesNotContain("s3cret", refused.Message);
        Assert.DoesNotContain("private", refused.Message);
    }

    [Fact]
    public async Task A_link_planted_at_the_download_path_is_replaced_never_written_through()
    {
        var victim = Path.Combine(_folder, "outside.txt");
        await File.WriteAllTextAsync(victim, "untouched");
        File.CreateSymbolicLink(Target, victim);

        await FetchAsync("/pic.png", Image);

        Assert.Equal("untouched", await File.ReadAllTextAsync(victim));
        Assert.Null(new FileInfo(Target).LinkTarget);
    }
}
