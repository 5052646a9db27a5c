using System.Globalization;
using StackExchange.Redis;

namespace VideoAkka.Bench;

/// <summary>
/// What a redis-server did between two readings: calls per command (INFO commandstats, which counts the commands a
/// script runs as well as the EVALSHA that ran it) and the CPU time it used (INFO cpu). The bench's own INFO calls are
/// left out.
/// </summary>
internal sealed record RedisStats(IReadOnlyDictionary<string, long> Calls, double CpuSeconds)
{
    public static async Task<RedisStats> ReadAsync(IServer server)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in (await server.InfoAsync("commandstats")).SelectMany(g => g))
        {
            // cmdstat_evalsha: calls=123,usec=...
            var name = entry.Key.StartsWith("cmdstat_", StringComparison.Ordinal) ? entry.Key["cmdstat_".Length..] : entry.Key;
            var field = entry.Value.Split(',').First(f => f.StartsWith("calls=", StringComparison.Ordinal));
            calls[name] = long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture);
        }
        var cpu = (await server.InfoAsync("cpu")).SelectMany(g => g)
            .Where(e => e.Key is "used_cpu_sys" or "used_cpu_user")
            .Sum(e => double.Parse(e.Value, CultureInfo.InvariantCulture));
        return new RedisStats(calls, cpu);
    }

    public RedisStats Since(RedisStats before) => new(
        Calls.Where(c => c.Key != "info").ToDictionary(c => c.Key, c => c.Value - before.Calls.GetValueOrDefault(c.Key)).Where(c => c.Value > 0)
            .ToDictionary(c => c.Key, c => c.Value),
        CpuSeconds - before.CpuSeconds);

    public long TotalCalls => Calls.Values.Sum();

    /// <summary>Calls that came over the network: scripts and plain commands; what scripts ran inside is not here
    /// (a script's own calls cannot be told apart in commandstats, so this counts every non-script command as a round
    /// trip: an upper bound when some ran inside scripts too).</summary>
    public long ScriptCalls => Calls.Where(c => c.Key is "evalsha" or "eval" or "fcall" or "evalsha_ro" or "eval_ro").Sum(c => c.Value);

    /// <summary>"evalsha 8.0, zadd 3.0, ..." per job, the most called first.</summary>
    public string PerJob(int jobs, int top = 8) =>
        string.Join(", ", Calls.OrderByDescending(c => c.Value).Take(top).Select(c => $"{c.Key} {(double)c.Value / jobs:0.0}"));
}
