using System.Diagnostics;
using System.Globalization;

namespace VideoAkka.Bench;

/// <summary>
/// Issue 14's profile: where a worker's CPU goes under the orchestration load. The same no-op jobs as
/// <see cref="OrchestrationBench"/> on one worker process with .NET's perf map on (and W^X off, so that perf can name
/// the JIT's code); Linux perf samples the worker's stacks for a few seconds once it is warm, and
/// bench/profile/perf_summary.py charges each sample to the innermost library or our code on its stack.
/// </summary>
internal static class WorkerProfile
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Sampled = TimeSpan.FromSeconds(6);

    public static async Task RunAsync()
    {
        if (!CanRun("perf", "--version"))
        {
            Console.WriteLine("profile         perf is not installed: apt-get install -y linux-perf (./videoakka bench installs it as root)");
            return;
        }
        var jobs = Math.Max(OrchestrationBench.Jobs, 20_000);
        var recording = Path.Combine(Path.GetTempPath(), $"videoakka-profile-{Environment.ProcessId}.data");
        Console.WriteLine($"profile         {jobs} no-op jobs on one worker process; perf samples its stacks at 499 Hz for {Sampled.TotalSeconds:0} s after {WarmUp.TotalSeconds:0} s of warm-up");
        var environment = new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" };
        var worker = 0;
        var recorded = "";
        var result = await NullWorkers.RunAsync(jobs, workers: 1, environment: environment, whileRunning: async pids =>
        {
            worker = pids[0];
            recorded = await RecordAsync(worker, recording);
        });
        Console.WriteLine($"profile         VideoAkka (null backend, 1 worker process)   {NullWorkers.Figures(result)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"profile         worker CPU per job: {result.WorkerCpu * result.Seconds / Math.Max(1, result.Completed) * 1000:0.00} ms (perf attached and the perf map on: compare within this run only)"));
        try
        {
            foreach (var line in File.Exists(recording) ? await SummarizeAsync(recording) : [$"perf recorded nothing: {recorded}"])
            {
                Console.WriteLine("profile         " + line);
            }
        }
        finally
        {
            // The recording and the perf map files the worker's runtime wrote for it.
            foreach (var file in new[] { recording, Path.Combine(Path.GetTempPath(), $"perf-{worker}.map"), Path.Combine(Path.GetTempPath(), $"perfinfo-{worker}.map") })
            {
                File.Delete(file);
            }
        }
    }

    /// <returns>What perf said when it recorded nothing (not permitted, the worker gone).</returns>
    private static async Task<string> RecordAsync(int pid, string recording)
    {
        await Task.Delay(WarmUp);
        using var perf = Start("perf", "record", "-F", "499", "-g", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", recording, "--",
            "sleep", Sampled.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        perf.StandardInput.Close();
        var (output, errors) = (perf.StandardOutput.ReadToEndAsync(), perf.StandardError.ReadToEndAsync());
        await Task.WhenAll(output, errors, perf.WaitForExitAsync());
        return perf.ExitCode == 0 ? "" : $"perf record exited with {perf.ExitCode}: {errors.Result.Trim()}";
    }

    private static async Task<IReadOnlyList<string>> SummarizeAsync(string recording)
    {
        // The summary first: if python3 cannot start, perf script is never left writing to a pipe nobody reads.
        using var summary = Start("python3", RepositoryFile.Find(Path.Combine("bench", "profile", "perf_summary.py")), "--top", "12");
        using var script = Start("perf", "script", "-i", recording);
        script.StandardInput.Close();
        var copy = CopyAndCloseAsync(script.StandardOutput.BaseStream, summary.StandardInput);
        var (lines, scriptErrors, summaryErrors) = (summary.StandardOutput.ReadToEndAsync(), script.StandardError.ReadToEndAsync(), summary.StandardError.ReadToEndAsync());
        await Task.WhenAll(copy, lines, scriptErrors, summaryErrors, script.WaitForExitAsync(), summary.WaitForExitAsync());
        return summary.ExitCode == 0
            ? lines.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [$"the summary failed ({summary.ExitCode}): {summaryErrors.Result.Trim()}"];
    }

    private static async Task CopyAndCloseAsync(Stream from, StreamWriter to)
    {
        try
        {
            await from.CopyToAsync(to.BaseStream);
        }
        catch (IOException)
        {
            // The summary stopped reading: its exit code says why.
        }
        try
        {
            to.Close();
        }
        catch (IOException)
        {
            // As above.
        }
    }

    private static Process Start(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
    }

    private static bool CanRun(string file, string argument)
    {
        try
        {
            using var process = Start(file, argument);
            process.WaitForExit(10_000);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
