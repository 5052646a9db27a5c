using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>Turns the seed's REDIS_URL (redis://[user:password@]host:port/db, or rediss:// for TLS) into
/// StackExchange.Redis options. A plain "host:port,..." configuration string is accepted too. A malformed value is
/// refused with a message that shows it with its user name and password masked: the message reaches the console.</summary>
public static class RedisUrl
{
    private const string Shape = "REDIS_URL must look like redis://[user:password@]host:6379/0 (or rediss:// for TLS, or host:port)";

    public static ConfigurationOptions Parse(string url)
    {
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            ConfigurationOptions plain;
            try
            {
                plain = ConfigurationOptions.Parse(url);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                // StackExchange.Redis quotes the text it could not read (a password among it): not passed on, not kept
                // as the inner exception.
                throw new ArgumentException($"{Shape}, got \"{Redact(url)}\"");
            }
            // A URL missing its "://" parses as a host named "redis//user:password@host", which every connection
            // error would then print: no host name holds an '@' or a '/'.
            if (plain.EndPoints.OfType<System.Net.DnsEndPoint>().Any(e => e.Host.Contains('@') || e.Host.Contains('/')))
            {
                throw new ArgumentException($"{Shape}, got \"{Redact(url)}\"");
            }
            return plain;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"{Shape}, got \"{Redact(url)}\"");
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
                : throw new ArgumentException($"REDIS_URL's database must be a number of 0 or more, got \"{Redact(path)}\" in \"{Redact(url)}\"");
        }
        return options;
    }

    /// <summary>The value with every user name and password masked, for messages. In a URL everything between "://"
    /// and the last '@' goes (a password may hold an unescaped '/', '?' or '@', so the last one is the safe cut); in
    /// a configuration string, user= and password= values and anything before an '@' go.</summary>
    public static string Redact(string value)
    {
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var at = value.LastIndexOf('@');
            return at > scheme ? $"{value[..(scheme + 3)]}***{value[at..]}" : value;
        }
        return string.Join(',', value.Split(',').Select(RedactOption));
    }

    private static string RedactOption(string option)
    {
        var equals = option.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0 && option[..equals].Trim().ToLowerInvariant() is "password" or "user")
        {
            return option[..(equals + 1)] + "***";
        }
        var at = option.LastIndexOf('@');
        return at >= 0 ? "***" + option[at..] : option;
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
