namespace VideoAkka.Tests.Support;

/// <summary>Waits for a condition with a generous guard against hanging. A guard, not a timing assertion: the
/// tests never measure how long something took.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultGuard = TimeSpan.FromMinutes(3);

    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? guard = null) where T : class
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
            await Task.Delay(100);
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> probe, string what, TimeSpan? guard = null) =>
        await WaitForAsync<object>(async () => await probe() ? new object() : null, what, guard);
}
