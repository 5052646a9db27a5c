using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// Claims a worker id in Redis while the worker runs (a key that expires unless renewed), so two live processes
/// never use one processing list: the second would take the first's running jobs back as abandoned and run them
/// twice. A worker that died leaves a claim that expires after <see cref="Ttl"/>.
/// </summary>
/// <param name="token">Names this process's claim; the same across restarts of the worker's actor, so a restarted
/// actor takes its own claim back at once instead of waiting for it to expire.</param>
public sealed class WorkerLease(IConnectionMultiplexer redis, RedisKeys keys, string workerId, TimeSpan ttl, string token)
{
    // KEYS: lease. ARGV: token, ttl ms. Takes a free claim, or extends one that is already ours.
    private const string AcquireScript = """
        local holder = redis.call('GET', KEYS[1])
        if not holder then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """;

    // KEYS: lease. ARGV: token, ttl ms. Extends the lease only if it is still ours.
    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """;

    // KEYS: lease. ARGV: token. Gives the lease up only if it is still ours.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private readonly string _token = token;

    public TimeSpan Ttl { get; } = ttl;

    public string Key => keys.Worker(workerId);

    public async Task<bool> TryAcquireAsync() =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(AcquireScript, [Key], [_token, (long)Ttl.TotalMilliseconds]).ConfigureAwait(false) == 1;

    /// <returns>false when the lease expired or was taken by another process.</returns>
    public async Task<bool> RenewAsync() =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(RenewScript, [Key], [_token, (long)Ttl.TotalMilliseconds]).ConfigureAwait(false) == 1;

    public Task ReleaseAsync() =>
        redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [Key], [_token]);
}
