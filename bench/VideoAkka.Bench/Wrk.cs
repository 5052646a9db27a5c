using System.Diagnostics;
using System.Globalization;

namespace VideoAkka.Bench;

/// <summary>One wrk run's figures (from bench/anchors/wrk/done.lua). <see cref="Failures"/> counts socket errors,
/// timeouts and answers outside 2xx/3xx: a run with any is not a figure worth printing.</summary>
internal sealed record WrkResult(long Requests, double Seconds, double P50Ms, double P90Ms, double P99Ms, double MaxMs, long Failures, string Errors)
{
    public double PerSecond => Requests / Seconds;
}

/// <summary>
/// Debian's wrk (4.1) as the load generator: a C load loop in its own process, so neither stack pays for the client's
/// allocations or thread pool, and the same client loads both. Scripts under bench/anchors/wrk shape the requests.
/// </summary>
internal static class Wrk
{
    public const int Threads = 2;
    public const int Connections = 64;

    public static string AnchorFolder => Path.Combine(AppContext.BaseDirectory, "anchors");

    public static async Task<WrkResult> RunAsync(string url, TimeSpan duration, string script, IEnumerable<string> headers, params string[] scriptArgs)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["WRK_DONE"] = Path.Combine(AnchorFolder, "wrk", "done.lua");
        foreach (var arg in new[] { "-t", $"{Threads}", "-c", $"{Connections}", "-d", $"{(int)duration.TotalSeconds}s", "--timeout", "10s",
                     "-s", Path.Combine(AnchorFolder, "wrk", script) })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var header in headers)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add(header);
        }
        start.ArgumentList.Add(url);
        start.ArgumentList.Add("--");
        foreach (var arg in scriptArgs)
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("wrk is not installed: apt-get install wrk (./videoakka bench installs it)", ex);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith("WRK-RESULT ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk printed no result (exit {process.ExitCode}):\n{await output}\n{await error}");
            return Parse(line);
        }
    }

    private static WrkResult Parse(string line)
    {
        var fields = line["WRK-RESULT ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
        string[] errorKinds = ["connect", "read", "write", "status", "timeout"];
        var failures = errorKinds.Sum(k => (long)fields[k]);
        return new WrkResult((long)fields["requests"], fields["seconds"], fields["p50"] / 1000, fields["p90"] / 1000, fields["p99"] / 1000,
            fields["max"] / 1000, failures, string.Join(", ", errorKinds.Where(k => fields[k] > 0).Select(k => $"{k} {fields[k]:0}")));
    }
}
