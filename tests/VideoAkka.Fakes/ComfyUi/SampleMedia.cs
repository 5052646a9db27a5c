using System.Collections.Concurrent;
using System.Diagnostics;

namespace VideoAkka.Fakes;

/// <summary>Small but real media files that the fake copies as its "generated" outputs, so clients download and
/// probe genuine PNG / MP4 / WebM / WebP / GIF bytes. Made once with ffmpeg and cached in the temp folder across
/// test runs; each format only when first needed.</summary>
internal static class SampleMedia
{
    private const int Width = 96;
    private const int Height = 160;
    private const int Fps = 16;

    // Bump the version when the arguments change, so stale cached files are not reused.
    private static readonly string CacheDir = Path.Combine(Path.GetTempPath(), "videoakka-fake-comfyui-media-v1");
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new(StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, string> Recipes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["png"] = $"-f lavfi -i color=c=0x3366cc:s={Width}x{Height} -frames:v 1",
        ["apng"] = $"-f lavfi -i testsrc2=s={Width}x{Height}:r={Fps}:d=1 -plays 0 -f apng",
        ["mp4"] = $"-f lavfi -i testsrc2=s={Width}x{Height}:r={Fps}:d=1 -c:v libx264 -pix_fmt yuv420p -movflags +faststart",
        ["webm"] = $"-f lavfi -i testsrc2=s={Width}x{Height}:r={Fps}:d=1 -c:v libvpx-vp9 -b:v 0 -crf 40 -deadline realtime",
        ["webp"] = $"-f lavfi -i testsrc2=s={Width}x{Height}:r={Fps}:d=1 -c:v libwebp_anim -loop 0 -lossless 0 -q:v 60 -f webp",
        ["gif"] = $"-f lavfi -i testsrc2=s={Width}x{Height}:r={Fps}:d=1 -loop 0",
        // Speech: a mono tone at Kokoro's 24 kHz, as long as SpeechSeconds; the silent kinds hold digital silence.
        ["flac"] = $"-f lavfi -i sine=frequency=440:sample_rate=24000:duration={Speech} -ac 1 -c:a flac",
        ["mp3"] = $"-f lavfi -i sine=frequency=440:sample_rate=24000:duration={Speech} -ac 1 -c:a libmp3lame -b:a 64k",
        ["opus"] = $"-f lavfi -i sine=frequency=440:sample_rate=48000:duration={Speech} -ac 1 -c:a libopus -f ogg",
        ["flac-silent"] = $"-f lavfi -i anullsrc=r=24000:cl=mono -t {Speech} -c:a flac",
        ["mp3-silent"] = $"-f lavfi -i anullsrc=r=24000:cl=mono -t {Speech} -c:a libmp3lame -b:a 64k",
        ["opus-silent"] = $"-f lavfi -i anullsrc=r=48000:cl=mono -t {Speech} -c:a libopus -f ogg",
    };

    /// <summary>How long each audio sample is, in seconds.</summary>
    public const double SpeechSeconds = 2.5;

    private const string Speech = "2.5";

    public static readonly IReadOnlySet<string> VideoExtensions = new HashSet<string>(StringComparer.Ordinal) { "mp4", "webm", "webp", "gif" };

    /// <summary>The path of a sample: "png", "apng" (animated PNG), "mp4", "webm", "webp", "gif", or audio: "flac",
    /// "mp3", "opus" and their silent "-silent" twins.</summary>
    public static Task<string> PathAsync(string kind)
    {
        if (!Recipes.ContainsKey(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "FakeComfyUi makes png, apng, mp4, webm, webp, gif, flac, mp3 or opus");
        }
        return Made.GetOrAdd(kind, k => new Lazy<Task<string>>(() => MakeOrForgetAsync(k))).Value;
    }

    /// <summary>A failure is not cached: ffmpeg may still be being installed when the first test asks.</summary>
    private static async Task<string> MakeOrForgetAsync(string kind)
    {
        try
        {
            return await MakeAsync(kind).ConfigureAwait(false);
        }
        catch
        {
            Made.TryRemove(kind, out _);
            throw;
        }
    }

    private static async Task<string> MakeAsync(string kind)
    {
        Directory.CreateDirectory(CacheDir);
        var ext = kind == "apng" ? "png" : kind.Replace("-silent", "", StringComparison.Ordinal);
        var target = Path.Combine(CacheDir, $"sample-{kind}.{ext}");
        if (File.Exists(target) && new FileInfo(target).Length > 0)
        {
            return target;
        }
        // Another test process may be making the same file: write aside, then move into place atomically.
        var scratch = Path.Combine(CacheDir, $"{Guid.NewGuid():N}.{ext}");
        var info = new ProcessStartInfo("ffmpeg", $"-y -v error {Recipes[kind]} \"{scratch}\"")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var ffmpeg = StartFfmpeg(info);
        var stderr = ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync().ConfigureAwait(false);
        if (ffmpeg.ExitCode != 0 || !File.Exists(scratch))
        {
            throw new InvalidOperationException($"FakeComfyUi could not make its sample {kind}: {await stderr.ConfigureAwait(false)}");
        }
        File.Move(scratch, target, overwrite: true);
        return target;
    }

    private static Process StartFfmpeg(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException("FakeComfyUi could not start ffmpeg");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("FakeComfyUi needs ffmpeg on the PATH to make its sample media", e);
        }
    }
}
