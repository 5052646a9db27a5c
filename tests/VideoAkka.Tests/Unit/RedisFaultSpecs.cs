using StackExchange.Redis;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Unit;

/// <summary>Issue 11: a Redis failure that becomes a job's reason (its record, its webhook) never carries the
/// endpoint, the connection's counters or a password from StackExchange.Redis's message.</summary>
public sealed class RedisFaultSpecs
{
    private const string Endpoint = "redis.internal.example:6380";
    private const string Password = "s3cret-pa55word";

    public static TheoryData<string, Exception, string> Failures => new()
    {
        { "a timeout", new RedisTimeoutException(CommandFlags.None, $"Timeout performing EVALSHA (5000ms), next: EVALSHA, inst: 4, qu: 0, qs: 1, aw: False, rs: ReadAsync, ws: Idle, in: 0, serverEndpoint: {Endpoint}, mc: 1/1/0, mgr: 10 of 10 available, clientName: worker(SE.Redis-v2), password={Password}", CommandStatus.Sent), "Redis did not answer in time" },
        { "a lost connection", new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.None, $"SocketFailure on {Endpoint}/Interactive, Idle, last: PING, origin: ReadFromPipe, password={Password}", null, CommandStatus.Unknown), "the connection to Redis failed (SocketFailure)" },
        { "a refused password", new RedisConnectionException(ConnectionFailureType.AuthenticationFailure, CommandFlags.None, $"It was not possible to connect to the redis server(s) {Endpoint},password={Password}", null, CommandStatus.Unknown), "the connection to Redis failed (AuthenticationFailure)" },
        { "out of memory", new RedisServerException(RedisErrorKind.Unknown, CommandFlags.None, "OOM command not allowed when used memory > 'maxmemory'."), "Redis refused the command (OOM)" },
        { "a wrapped timeout", new RedisException($"failed on {Endpoint}", new RedisTimeoutException(CommandFlags.None, $"Timeout on {Endpoint}", CommandStatus.Sent)), "Redis did not answer in time" },
        { "another Redis failure", new RedisException($"something on {Endpoint} with {Password}"), "Redis failed" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_Redis_failure_is_told_without_its_endpoint_or_password(string what, Exception failure, string told)
    {
        var reason = RedisFault.Reason(failure);

        Assert.Equal(told, reason);
        Assert.DoesNotContain(Endpoint, reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, reason, StringComparison.Ordinal);
        Assert.NotEmpty(what);
    }

    [Fact]
    public void A_failure_that_is_not_Redis_keeps_its_own_text_even_when_it_is_a_timeout()
    {
        Assert.Equal("timed out after 30m (videoakka.stages.stitch.timeout)", RedisFault.Reason(new StageTimeoutException("stitch", TimeSpan.FromMinutes(30))));
        Assert.Equal("ffmpeg exited with 1", RedisFault.Reason(new InvalidOperationException("ffmpeg exited with 1")));
    }
}
