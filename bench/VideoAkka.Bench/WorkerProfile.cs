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
        var result = await NullWorkers.RunAsync(jobs, workers: 1, environment: environment, whileRunning: pids => RecordAsync(pids[0], recording));
        Console.WriteLine($"profile         VideoAkka (null backend, 1 worker process)   {NullWorkers.Figures(result)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile         worker CPU per job: {result.WorkerCpu * result.Seconds / Math.Max(1, result.Completed) * 1000:0.00} ms"));
        try
        {
            foreach (var line in await SummarizeAsync(recording))
            {
                Console.WriteLine("profile         " + line);
            }
        }
        finally
        {
            File.Delete(recording);
        }
    }

    private static async Task RecordAsync(int pid, string recording)
    {
        await Task.Delay(WarmUp);
        var perf = Start("perf", "record", "-F", "499", "-g", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", recording, "--",
            "sleep", Sampled.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        await perf.StandardOutput.ReadToEndAsync();
        await perf.StandardError.ReadToEndAsync();
        await perf.WaitForExitAsync();
    }

    private static async Task<IReadOnlyList<string>> SummarizeAsync(string recording)
    {
        if (!File.Exists(recording))
        {
            return ["perf recorded nothing (the run ended before the warm-up did: raise VIDEOAKKA_BENCH_JOBS)"];
        }
        var script = Start("perf", "script", "-i", recording);
        var summary = Start("python3", RepositoryFile.Find(Path.Combine("bench", "profile", "perf_summary.py")), "--top", "12");
        var copy = script.StandardOutput.BaseStream.CopyToAsync(summary.StandardInput.BaseStream).ContinueWith(_ => summary.StandardInput.Close(), TaskScheduler.Default);
        var stderr = script.StandardError.ReadToEndAsync();
        var lines = (await summary.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await copy;
        await stderr;
        await Task.WhenAll(script.WaitForExitAsync(), summary.WaitForExitAsync());
        return lines;
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
