namespace VideoAkka.Pipeline.Queue;

/// <summary>What readiness needs to know of the redis-server the service runs itself (REDIS_URL unset).</summary>
public interface IEmbeddedRedisStatus
{
    /// <summary>The server has stopped and is being started again on its port, with its data.</summary>
    bool IsRestarting { get; }
}
