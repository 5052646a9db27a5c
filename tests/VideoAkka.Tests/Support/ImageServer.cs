using CliWrap;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Support;

/// <summary>A loopback web server that scenes can name in image_url: /pic.png is a real PNG made by ffmpeg,
/// /slow-404 answers 404 after a pause, /not-an-image answers text, /big.png is 2 MiB claiming to be a PNG, and
/// /playlist.png is an HLS playlist claiming to be one.</summary>
public sealed class ImageServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ImageServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<ImageServer> StartAsync(TimeSpan? slowDelay = null)
    {
        var folder = Directory.CreateTempSubdirectory("videoakka-images-").FullName;
        var png = Path.Combine(folder, "pic.png");
        await Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-f", "lavfi", "-i", "color=c=0x8E3B46:s=64x48", "-frames:v", "1", png]).ExecuteAsync();
        var bytes = await File.ReadAllBytesAsync(png);
        var secret = Path.Combine(folder, "secret.mp4"); // a local video the playlist below points at
        await Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-f", "lavfi", "-i", "testsrc=s=64x48:d=1", "-c:v", "libx264", secret]).ExecuteAsync();
        var url = $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/pic.png", () => Results.Bytes(bytes, "image/png"));
        app.MapGet("/not-an-image", () => Results.Text("hello", "text/plain"));
        app.MapGet("/big.png", () => Results.Bytes(new byte[2 * 1024 * 1024], "image/png"));
        // An HLS playlist naming a local file, sent as a PNG: ffmpeg, left to guess, would open the file it lists.
        app.MapGet("/playlist.png", () => Results.Text("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n" + png + "\n#EXT-X-ENDLIST\n", "image/png"));
        app.MapGet("/slow-404", async () =>
        {
            await Task.Delay(slowDelay ?? TimeSpan.FromSeconds(2));
            return Results.NotFound();
        });
        await app.StartAsync();
        return new ImageServer(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
