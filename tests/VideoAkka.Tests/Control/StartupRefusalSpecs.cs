using System.Diagnostics;

namespace VideoAkka.Tests.Control;

/// <summary>A configuration mistake stops the service at start, as its own process: exit code 2 and one line on
/// stderr that says what to change, before anything is started.</summary>
public sealed class StartupRefusalSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("videoakka-refusal-").FullName;

    [Fact]
    public async Task A_VIDEOAKKA_CONFIG_naming_a_missing_file_stops_the_start_naming_the_path()
    {
        var missing = Path.Combine(_folder, "nowhere", "akka.hocon");

        var (exitCode, stderr) = await RunHostAsync(("VIDEOAKKA_CONFIG", missing));

        Assert.Equal((2, $"videoakka: The configuration file {missing} (VIDEOAKKA_CONFIG) does not exist"), (exitCode, stderr.Trim()));
    }

    [Fact]
    public async Task A_bad_VIDEOAKKA_ROLE_stops_the_start_naming_the_choices()
    {
        var (exitCode, stderr) = await RunHostAsync(("VIDEOAKKA_ROLE", "scheduler"));

        Assert.Equal((2, "videoakka: VIDEOAKKA_ROLE must be api, worker or both, got \"scheduler\""), (exitCode, stderr.Trim()));
    }

    [Fact]
    public async Task A_bad_VIDEOAKKA_LOG_FORMAT_stops_the_start_naming_the_choices()
    {
        var (exitCode, stderr) = await RunHostAsync(("VIDEOAKKA_LOG_FORMAT", "logfmt"));

        Assert.Equal((2, "videoakka: VIDEOAKKA_LOG_FORMAT must be text or json, got \"logfmt\""), (exitCode, stderr.Trim()));
    }

    [Fact]
    public async Task A_malformed_REDIS_URL_stops_the_start_without_printing_its_password()
    {
        var (exitCode, stderr) = await RunHostAsync(("REDIS_URL", "http://alice:Hunter2-S3cret@cache.local:6379/0"));

        Assert.Equal(2, exitCode);
        Assert.Contains("\"http://***@cache.local:6379/0\"", stderr);
        Assert.DoesNotContain("S3cret", stderr);
    }

    /// <summary>Runs the service with the given variables (and nothing from this process's VideoAkka ones), its data
    /// in this spec's folder, and waits for it to exit.</summary>
    private async Task<(int ExitCode, string Stderr)> RunHostAsync(params (string Name, string Value)[] variables)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "VideoAkka.Host.dll"));
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("VIDEOAKKA_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DATA_SHARED_BASE"] = Path.Combine(_folder, "shared");
        start.Environment["REDIS_URL"] = "redis://127.0.0.1:1/0"; // never reached: each mistake is found before Redis
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the service did not stop on its own: {await stdout}");
        }
        await stdout;
        return (process.ExitCode, await stderr);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
