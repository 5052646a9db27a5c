namespace VideoAkka.Pipeline.Queue;

/// <summary>The updates stream (<see cref="RedisKeys.Updates"/>) as the scripts that write a job's state append to it.</summary>
internal static class JobFeed
{
    /// <summary>About this many newest updates are kept: a subscriber that reconnects after more than this many
    /// updates of all jobs together has missed some (it reads the records instead).</summary>
    public const string Cap = "100000";

    /// <summary>A Lua prefix defining feed(key, job id, update JSON); an empty update appends nothing.</summary>
    public const string Lua =
        "local function feed(key, job, update)\n" +
        "  if update ~= '' then redis.call('XADD', key, 'MAXLEN', '~', " + Cap + ", '*', 'job_id', job, 'update', update) end\n" +
        "end\n";
}
