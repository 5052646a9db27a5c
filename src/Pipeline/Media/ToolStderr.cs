using System.Text.RegularExpressions;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// Picks what a failed tool's stderr says went wrong, for a job's "error": the lines that name an error (ffmpeg's
/// first complaint is usually the cause, its last one "Conversion failed!"), not the banner, stream listings or progress.
/// Paths are shown relative to the job folder, or by file name when outside it, and credentials in URLs are masked:
/// the error goes to clients and webhooks.
/// </summary>
public static partial class ToolStderr
{
    /// <summary>Lines kept in a job's error at most.</summary>
    public const int MaxLines = 3;

    private const int MaxLineLength = 300;

    private static readonly string[] NoisePrefixes =
    [
        "ffmpeg version", "ffprobe version", "built with", "configuration:", "Input #", "Output #", "Stream mapping:",
        "Press [q]", "frame=", "size=", "video:", "Metadata:", "Duration:", "Stream #", "Side data:", "Chapters:",
        // A harmless timestamp warning that ffmpeg prints before many real errors, and would be taken for the cause.
        "Past duration",
    ];

    /// <summary>Whether a line is worth keeping at all (not the banner, a listing or progress).</summary>
    public static bool IsNoise(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return true;
        }
        // ffmpeg indents everything that describes inputs and outputs, and the banner's library versions.
        if (line[0] is ' ' or '\t')
        {
            return true;
        }
        var trimmed = line.TrimStart();
        return NoisePrefixes.Any(p => trimmed.StartsWith(p, StringComparison.Ordinal));
    }

    public static bool IsComplaint(string line) => Complaint().IsMatch(line);

    /// <summary>The error line(s) of <paramref name="complaints"/> (the first ones, in order), else the last useful
    /// lines of <paramref name="tail"/>, joined by " | ", cleaned for a client's eyes.</summary>
    public static string Summarize(IReadOnlyList<string> complaints, IReadOnlyList<string> tail, string workingDirectory)
    {
        // Cleaned before they are told apart: ffmpeg repeats a complaint per decoder thread, differing only in address.
        var chosen = complaints.Count > 0
            ? complaints.Select(l => Clean(l, workingDirectory)).Distinct().Take(MaxLines)
            : tail.Where(l => !IsNoise(l)).Select(l => Clean(l, workingDirectory)).Distinct().TakeLast(MaxLines);
        return string.Join(" | ", chosen);
    }

    /// <summary>One line as a client may see it: no memory addresses, paths inside the job folder relative, others
    /// reduced to their file name, URL credentials and secret-looking query values masked.</summary>
    public static string Clean(string line, string workingDirectory)
    {
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workingDirectory)) + "/";
        var cleaned = Address().Replace(line.Trim(), "]");
        cleaned = UrlCredentials().Replace(cleaned, "$1***@");
        cleaned = SecretQuery().Replace(cleaned, "$1***");
        cleaned = AbsolutePath().Replace(cleaned, m =>
            m.Value.StartsWith(folder, StringComparison.Ordinal) ? m.Value[folder.Length..] : Path.GetFileName(m.Value.TrimEnd('/')));
        return cleaned.Length <= MaxLineLength ? cleaned : cleaned[..MaxLineLength] + "…";
    }

    [GeneratedRegex(@"error|invalid|no such|not found|failed|unable|cannot|can't|could not|unknown|unrecognized|denied|does not|not supported|out of memory|killed|incorrect|missing|too (?:many|big|short)|refused|timed out|corrupt", RegexOptions.IgnoreCase)]
    private static partial Regex Complaint();

    [GeneratedRegex(@" @ 0x[0-9a-fA-F]+\]")]
    private static partial Regex Address();

    [GeneratedRegex(@"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s:@]+(?::[^/\s@]*)?@")]
    private static partial Regex UrlCredentials();

    [GeneratedRegex(@"([?&](?:key|token|api_key|apikey|access_token|auth|signature|sig|password|secret)=)[^&\s'""]*[^&\s'"":]", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQuery();

    /// <summary>An absolute path not inside a URL (a "//" or a word before the slash means it is not one).</summary>
    [GeneratedRegex(@"(?<![\w.:/])/[^\s'"":,;|\]\)]+")]
    private static partial Regex AbsolutePath();
}
