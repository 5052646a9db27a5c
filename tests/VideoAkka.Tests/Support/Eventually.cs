namespace VideoAkka.Tests.Support;

/// <summary>Waits for a condition with a generous guard against hanging. A guard, not a timing assertion: the
/// tests never measure how long something took.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultGuard = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <param name="interval">The pause between probes; a sampler that must catch short-lived states uses a small one,
    /// never none (a probe in a tight loop takes the CPU from what it watches).</param>
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? guard = null, TimeSpan? interval = null) where T : class
    {
        var deadline = DateTime.UtcNow + (guard ?? DefaultGuard);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> probe, string what, TimeSpan? guard = null, TimeSpan? interval = null) =>
        await WaitForAsync<object>(async () => await probe() ? new object() : null, what, guard, interval);
}
