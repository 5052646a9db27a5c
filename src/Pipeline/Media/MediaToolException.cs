namespace VideoAkka.Pipeline.Media;

/// <summary>A media tool (ffmpeg, ffprobe, espeak-ng) exited with an error: which tool, its exit code and the stderr
/// line(s) that say why (see <see cref="ToolStderr"/>), which is what a job's "error" field shows.</summary>
public sealed class MediaToolException(string tool, int exitCode, string stderrSummary)
    : Exception($"{tool} exited with code {exitCode}{Signal(exitCode)}: {(stderrSummary.Length == 0 ? "(no error output)" : stderrSummary)}")
{
    public string Tool { get; } = tool;
    public int ExitCode { get; } = exitCode;
    /// <summary>The meaningful stderr line(s), cleaned of paths outside the job folder and credentials.</summary>
    public string StderrTail { get; } = stderrSummary;

    /// <summary>A shell's 128+N: the tool was killed by signal N (9: the kernel's OOM killer or kill -9).</summary>
    private static string Signal(int exitCode) => exitCode is > 128 and <= 128 + 31 && exitCode != 255
        ? $" (killed by signal {exitCode - 128})"
        : "";
}
