namespace VideoAkka.Tests.Support;

/// <summary>The processes running now, read from /proc: how a test sees a job's ffmpeg stop, or how many runs of a
/// stage's tool are in flight at once.</summary>
public static class ProcessTable
{
    /// <summary>Processes whose working directory is the folder or inside it.</summary>
    public static int CountWorkingIn(string folder) => Count(proc => WorksIn(proc, Path.GetFullPath(folder)));

    /// <summary>ffmpeg processes whose command line contains the marker and that work inside
    /// <paramref name="folder"/>: other test classes run at the same time and start ffmpeg too.</summary>
    public static int CountFfmpeg(string marker, string folder) => Count(proc =>
    {
        var commandLine = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
        return commandLine.StartsWith("ffmpeg ", StringComparison.Ordinal) && commandLine.Contains(marker, StringComparison.Ordinal)
            && WorksIn(proc, Path.GetFullPath(folder));
    });

    private static bool WorksIn(string proc, string target) =>
        new DirectoryInfo(Path.Combine(proc, "cwd")).LinkTarget is { } cwd
        && (cwd == target || cwd.StartsWith(target + "/", StringComparison.Ordinal));

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
