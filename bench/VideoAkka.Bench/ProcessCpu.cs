using System.Globalization;

namespace VideoAkka.Bench;

/// <summary>
/// CPU time (user + system) of a process and its live descendants, from /proc: on a 2-core machine shared with other
/// work, requests per second swing with the neighbours' load, CPU time per request much less.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>Linux's USER_HZ: the unit of utime and stime in /proc/*/stat on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static TimeSpan OfTree(int rootPid)
    {
        var stats = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? Read(pid) : null)
            .OfType<Stat>().ToDictionary(s => s.Pid);
        var ticks = 0L;
        foreach (var stat in stats.Values)
        {
            for (var at = stat; at is not null; at = stats.GetValueOrDefault(at.ParentPid))
            {
                if (at.Pid == rootPid)
                {
                    ticks += stat.Ticks;
                    break;
                }
                if (at.ParentPid <= 1)
                {
                    break;
                }
            }
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>CPU time of this process's children that have ended and been waited for (cutime + cstime of
    /// /proc/self/stat): across one run of a short-lived tool (wrk), that tool's own CPU time.</summary>
    public static TimeSpan OfFinishedChildren()
    {
        var text = File.ReadAllText("/proc/self/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // From the state field: cutime(13) cstime(14).
        return TimeSpan.FromSeconds((long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / TicksPerSecond);
    }

    private sealed record Stat(int Pid, int ParentPid, long Ticks);

    private static Stat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // gone meanwhile
        }
        // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // From there: state(0) ppid(1) ... utime(11) stime(12).
        return new Stat(pid, int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}
