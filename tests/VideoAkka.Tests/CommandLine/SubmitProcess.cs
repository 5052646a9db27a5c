using System.Diagnostics;
using System.Text;

namespace VideoAkka.Tests.CommandLine;

/// <summary>What `VideoAkka.Host submit …` printed and how it exited.</summary>
public sealed record SubmitRun(int ExitCode, string Output, string Errors)
{
    public string All => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}";
}

/// <summary>
/// Runs the built Host dll's submit command as its own process, as `./videoakka submit` does, with its output
/// redirected (so it prints plain lines, as into a pipe or a log). Only the environment a spec gives reaches it.
/// </summary>
public static class SubmitProcess
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(5);

    public static async Task<SubmitRun> RunAsync(IReadOnlyList<string> arguments, string? url = null, string? apiKey = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "VideoAkka.Host.dll"));
        start.ArgumentList.Add("submit");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("VIDEOAKKA_URL");
        start.Environment.Remove("VIDEOAKKA_API_KEY");
        if (url is not null)
        {
            start.Environment["VIDEOAKKA_URL"] = url;
        }
        if (apiKey is not null)
        {
            start.Environment["VIDEOAKKA_API_KEY"] = apiKey;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the submit command did not start");
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
            throw new TimeoutException($"submit did not end within {Guard}:\n{output}\n{errors}");
        }
        process.WaitForExit(); // the redirected streams are read to their end
        lock (output)
        {
            lock (errors)
            {
                return new SubmitRun(process.ExitCode, output.ToString(), errors.ToString());
            }
        }
    }
}
