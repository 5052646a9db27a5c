using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>Turns the seed's REDIS_URL (redis://[user:password@]host:port/db, or rediss:// for TLS) into
/// StackExchange.Redis options. A plain "host:port,..." configuration string is accepted too.</summary>
public static class RedisUrl
{
    public static ConfigurationOptions Parse(string url)
    {
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            return ConfigurationOptions.Parse(url);
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"REDIS_URL must look like redis://host:6379/0, got \"{url}\"");
        }
        var options = new ConfigurationOptions { Ssl = uri.Scheme == "rediss", AbortOnConnectFail = false };
        options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : 6379);
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            if (parts.Length == 2)
            {
                options.User = string.IsNullOrEmpty(parts[0]) ? null : Uri.UnescapeDataString(parts[0]);
                options.Password = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                options.Password = Uri.UnescapeDataString(parts[0]);
            }
        }
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            options.DefaultDatabase = int.TryParse(path, out var db) && db >= 0
                ? db
                : throw new ArgumentException($"REDIS_URL's database must be a number, got \"{path}\"");
        }
        return options;
    }

    /// <summary>Options for the blocking consumer: its own connection, with timeouts that outlast one BLMOVE.</summary>
    public static ConfigurationOptions ForBlocking(ConfigurationOptions options, TimeSpan blockTimeout)
    {
        var blocking = options.Clone();
        var timeout = (int)(blockTimeout + TimeSpan.FromSeconds(10)).TotalMilliseconds;
        blocking.SyncTimeout = timeout;
        blocking.AsyncTimeout = timeout;
        blocking.ClientName = "videoakka-queue-consumer";
        return blocking;
    }
}
