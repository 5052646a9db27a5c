using CliWrap;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Support;

/// <summary>A loopback web server that scenes can name in image_url: /pic.png is a real PNG made by ffmpeg,
/// /slow-404 answers 404 after a pause, /not-an-image answers text.</summary>
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
        var url = $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/pic.png", () => Results.Bytes(bytes, "image/png"));
        app.MapGet("/not-an-image", () => Results.Text("hello", "text/plain"));
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
