namespace VideoAkka.Pipeline.Media;

/// <summary>A media tool (ffmpeg, ffprobe, espeak-ng) exited with an error: its exit code and the tail of its stderr,
/// which is what a job's "error" field shows.</summary>
public sealed class MediaToolException(string tool, int exitCode, string stderrTail)
    : Exception($"{tool} exited with code {exitCode}: {(stderrTail.Length == 0 ? "(no output)" : stderrTail)}")
{
    public string Tool { get; } = tool;
    public int ExitCode { get; } = exitCode;
    public string StderrTail { get; } = stderrTail;
}
