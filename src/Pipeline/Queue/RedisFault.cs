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

    /// <summary>A Redis failure told without what StackExchange.Redis puts in its messages: the endpoint, the
    /// connection's counters, a configuration string that may hold the password. Job records, webhooks and clients
    /// get this; the full text goes only to the log.</summary>
    public static string Describe(Exception error) => error switch
    {
        RedisTimeoutException => "Redis did not answer in time",
        RedisConnectionException connection => $"the connection to Redis failed ({connection.FailureType})",
        RedisServerException server => $"Redis refused the command ({ErrorCode(server.Message)})",
        RedisException => error.InnerException is RedisException or RedisTimeoutException ? Describe(error.InnerException) : "Redis failed",
        _ => error.Message,
    };

    /// <summary>A reason safe to record: a Redis failure described without its endpoint, anything else as it says.</summary>
    /// <remarks>A plain TimeoutException is not Redis's: a stage's own timeout is one.</remarks>
    public static string Reason(Exception error) => error is RedisException or RedisTimeoutException ? Describe(error) : error.Message;

    /// <summary>The server's error code ("OOM", "NOSCRIPT", "WRONGTYPE"): the first word of its reply.</summary>
    private static string ErrorCode(string message)
    {
        var code = message.Split(' ', 2)[0];
        return code.Length is > 0 and <= 32 && code.All(char.IsAsciiLetterUpper) ? code : "ERR";
    }
}
