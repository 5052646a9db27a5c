namespace VideoAkka.Tests.Support;

/// <summary>The ffmpeg processes running now whose command line contains a marker, read from /proc: how a test
/// sees how many of a stage's tool runs are in flight at once.</summary>
public static class ToolProcesses
{
    public static int Count(string marker)
    {
        var count = 0;
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out _))
            {
                continue;
            }
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
                if (commandLine.StartsWith("ffmpeg ", StringComparison.Ordinal) && commandLine.Contains(marker, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return count;
    }
}
