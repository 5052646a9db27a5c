namespace VideoAkka.Tests.Support;

/// <summary>The processes running now, read from /proc: how a test sees a job's ffmpeg stop, or how many runs of a
/// stage's tool are in flight at once.</summary>
public static class ProcessTable
{
    /// <summary>Processes whose working directory is the folder or inside it.</summary>
    public static int CountWorkingIn(string folder)
    {
        var target = Path.GetFullPath(folder);
        return Count(proc => new DirectoryInfo(Path.Combine(proc, "cwd")).LinkTarget is { } cwd
            && (cwd == target || cwd.StartsWith(target + "/", StringComparison.Ordinal)));
    }

    /// <summary>ffmpeg processes whose command line contains the marker.</summary>
    public static int CountFfmpeg(string marker) => Count(proc =>
    {
        var commandLine = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
        return commandLine.StartsWith("ffmpeg ", StringComparison.Ordinal) && commandLine.Contains(marker, StringComparison.Ordinal);
    });

    private static int Count(Func<string, bool> matches)
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
                count += matches(proc) ? 1 : 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return count;
    }
}
