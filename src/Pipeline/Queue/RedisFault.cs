using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>What "Redis cannot be reached right now" looks like: a RedisException, or a RedisTimeoutException, which
/// is a TimeoutException and not a RedisException. One definition, so no caller forgets the second.</summary>
public static class RedisFault
{
    public static bool IsUnavailable(Exception error) => error is RedisException or TimeoutException;
}
