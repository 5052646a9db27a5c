using System.Diagnostics;
using System.Text;

namespace VideoAkka.Tests.CommandLine;

/// <summary>What `VideoAkka.Host submit …` printed and how it exited.</summary>
public sealed record SubmitRun(int ExitCode, string Output, string Errors)
{
    public string All => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}";
}

/// <summary>
/// The built Host dll's submit command as its own process, as `./videoakka submit` runs it, with its output
/// redirected (so it prints plain lines, as into a pipe or a log). Only the environment a spec gives reaches it.
/// </summary>
public sealed class SubmitProcess : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();

    private SubmitProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (_errors) { _errors.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What it has printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SubmitRun> RunAsync(IReadOnlyList<string> arguments, string? url = null, string? apiKey = null)
    {
        using var process = Start(arguments, url, apiKey);
        return await process.WaitForExitAsync();
    }

    public static SubmitProcess Start(IReadOnlyList<string> arguments, string? url = null, string? apiKey = null)
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
        return new SubmitProcess(Process.Start(start) ?? throw new InvalidOperationException("the submit command did not start"));
    }

    /// <summary>SIGINT, as Ctrl-C in a terminal sends.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits (with a guard) for it to end; kills it if it does not.</summary>
    public async Task<SubmitRun> WaitForExitAsync()
    {
        using var guard = new CancellationTokenSource(Guard);
        try
        {
            await _process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            throw new TimeoutException($"submit did not end within {Guard}:\n{Output}\n{Errors()}");
        }
        _process.WaitForExit(); // the redirected streams are read to their end
        return new SubmitRun(_process.ExitCode, Output, Errors());
    }

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.ToString();
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
