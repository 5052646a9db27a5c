using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Issue 11: `./videoakka demo` itself, as a newcomer runs it: the repository's script, on the built service
/// (VIDEOAKKA_SKIP_BUILD=1: a build now would replace the dlls this suite is running from), with its own data folder,
/// its embedded Redis and free ports.</summary>
public sealed partial class DemoScriptSpecs
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task The_demo_prints_the_path_of_a_finished_mp4_that_ffprobe_reads_and_leaves_no_redis_running()
    {
        var folder = Directory.CreateTempSubdirectory($"videoakka-demo-{Environment.ProcessId}-").FullName;
        try
        {
            var data = Path.Combine(folder, "shared");
            var (exitCode, output, errors) = await RunDemoAsync(data);

            Assert.True(exitCode == 0, $"the demo exited with {exitCode}:\n{output}\n{errors}");
            Assert.DoesNotContain("videoakka: building", errors);
            var printed = VideoLine().Match(output);
            Assert.True(printed.Success, $"no \"Video: …\" line in:\n{output}");
            Assert.Equal(Path.Combine(data, "demo-harbour", "stitched_subtitled.mp4"), printed.Groups[1].Value);
            var video = await MediaInfo.ProbeAsync(printed.Groups[1].Value);
            Assert.Equal(("h264", 1080, 1920), (video.Video.Codec, video.Video.Width, video.Video.Height));
            Assert.Equal("aac", video.Audio.Codec);
            Assert.True(video.Duration > 1, $"the video lasts {video.Duration} s");

            // What it started has stopped with it: its embedded redis-server, and every tool in its data folder.
            var redisPid = int.Parse((await File.ReadAllTextAsync(Path.Combine(data, ".redis", "embedded-redis.owner"))).Split(' ')[0]);
            Assert.False(IsRunning(redisPid), $"the demo's redis-server (pid {redisPid}) still runs");
            Assert.Equal(0, ProcessTable.CountWorkingIn(data));
        }
        finally
        {
            TestRedis.DeleteFolder(folder);
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunDemoAsync(string data)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo(Path.Combine(root, "videoakka"))
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("demo");
        // The demo as on a fresh machine: embedded Redis, the draft renderer, no webhook, no API key, the repository's config.
        foreach (var name in new[] { "REDIS_URL", "COMFYUI_URL", "VIDEO_COMPLETED_N8N_WEBHOOK_URL", "VIDEOAKKA_API_KEY", "VIDEOAKKA_WEBHOOK_SECRET",
                     "VIDEOAKKA_CONFIG", "VIDEOAKKA_ROLE", "VIDEOAKKA_WORKER_ID", "ASPNETCORE_URLS" })
        {
            start.Environment.Remove(name);
        }
        start.Environment["VIDEOAKKA_SKIP_BUILD"] = "1";
        start.Environment["VIDEOAKKA_CONFIGURATION"] = BuildConfiguration();
        start.Environment["DATA_SHARED_BASE"] = data;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("./videoakka did not start");
        var output = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var guard = new CancellationTokenSource(Guard);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"./videoakka demo did not end within {Guard}:\n{output}\n{errors}");
        }
        process.WaitForExit(); // the redirected streams are read to their end
        lock (output)
        {
            return (process.ExitCode, output.ToString(), errors.ToString());
        }
    }

    /// <summary>The checkout these tests were built from: the folder above bin/ holding the script and the solution.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "videoakka")) && File.Exists(Path.Combine(dir.FullName, "VideoAkka.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no checkout with ./videoakka above {AppContext.BaseDirectory}");
    }

    /// <summary>bin/{configuration}/{framework}/: the demo runs the same build as the suite.</summary>
    private static string BuildConfiguration() =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    private static bool IsRunning(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].Split(' ')[0] != "Z";

    [GeneratedRegex(@"^Video: (.+\.mp4) \(", RegexOptions.Multiline)]
    private static partial Regex VideoLine();
}
