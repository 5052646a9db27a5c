using System.Globalization;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>Durations written as HOCON writes them ("30m", "4h", "500ms"), so a reason names a limit as the operator
/// set it.</summary>
public static class Durations
{
    public static string Format(TimeSpan duration)
    {
        var ms = (long)duration.TotalMilliseconds;
        return ms switch
        {
            0 => "0s",
            _ when ms % 86_400_000 == 0 => Text(ms / 86_400_000, "d"),
            _ when ms % 3_600_000 == 0 => Text(ms / 3_600_000, "h"),
            _ when ms % 60_000 == 0 => Text(ms / 60_000, "m"),
            _ when ms % 1_000 == 0 => Text(ms / 1_000, "s"),
            _ => Text(ms, "ms"),
        };
    }

    private static string Text(long value, string unit) => value.ToString(CultureInfo.InvariantCulture) + unit;
}
