using System.Diagnostics;

namespace VideoAkka.Bench;

/// <summary>
/// An HTTP server the benchmarks load from outside, as its own OS process (our service binary, or an anchor such as
/// uvicorn): it runs with its own runtime settings, as deployed, and the load generator never shares its process.
/// Its output is drained and the last lines kept to explain a failed start. Killed with its children on dispose.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{

    private readonly Process _process;
    private readonly OutputTail _tail = new(40);

    private ServerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Url { get; }

    public int Pid => _process.Id;

    /// <summary>Starts it and waits until <paramref name="readyPath"/> answers with <paramref name="readyStatus"/>.</summary>
    public static async Task<ServerProcess> StartAsync(ProcessStartInfo start, string url, string readyPath, int readyStatus, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start"), url);
        try
        {
            await server.WaitUntilAnsweringAsync(readyPath, readyStatus, timeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilAnsweringAsync(string path, int status, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with code {_process.ExitCode}:\n{Tail}");
            }
            try
            {
                using var response = await http.GetAsync(path);
                if ((int)response.StatusCode == status)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{_process.StartInfo.FileName} did not answer {path} with {status} within {timeout.TotalSeconds:0} s:\n{Tail}");
    }

    public string Tail
        => _tail.ToString();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        _tail.Add(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // uvicorn's workers are its children
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
