using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>What "Redis cannot be reached right now" looks like, as opposed to a mistake that retrying cannot fix (a
/// script error, a wrong password, out of memory): a lost or refused connection, a timeout (a RedisTimeoutException
/// is a TimeoutException, not a RedisException), or a server that is loading, busy, or a read-only replica during a
/// failover. One definition, so no caller forgets one of them.</summary>
public static class RedisFault
{
    private static readonly string[] TransientServerErrors = ["LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"];

    public static bool IsUnavailable(Exception error) => error switch
    {
        RedisConnectionException or TimeoutException => true,
        RedisServerException server => TransientServerErrors.Any(code => server.Message.StartsWith(code, StringComparison.Ordinal)),
        RedisException => error.InnerException is { } inner && IsUnavailable(inner),
        _ => false,
    };

    /// <summary>Any failure of Redis, transient or not: what the HTTP API answers with 503 rather than 500.</summary>
    public static bool IsRedisFailure(Exception error) => error is RedisException or TimeoutException;
}
