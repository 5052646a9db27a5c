namespace VideoAkka.Tests.Support;

/// <summary>Which processes work in a folder, read from /proc: how a test sees that a job's ffmpeg was stopped.</summary>
public static class FolderProcesses
{
    public static int CountIn(string folder)
    {
        var target = Path.GetFullPath(folder);
        var count = 0;
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out _))
            {
                continue;
            }
            try
            {
                var cwd = new DirectoryInfo(Path.Combine(proc, "cwd")).LinkTarget;
                if (cwd is not null && (cwd == target || cwd.StartsWith(target + "/", StringComparison.Ordinal)))
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
