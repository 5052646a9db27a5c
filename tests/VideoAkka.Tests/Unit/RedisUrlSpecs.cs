using System.Net;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Unit;

/// <summary>REDIS_URL, as the seed writes it (redis://[user:password@]host:port/db, rediss:// for TLS) or as a plain
/// StackExchange.Redis host:port string; a malformed one is refused without ever echoing its password.</summary>
public sealed class RedisUrlSpecs
{
    private const string Secret = "Hunter2-S3cret";

    public sealed record Expected(string Host, int Port, string? User, string? Password, int? Database, bool Ssl);

    public static TheoryData<string, Expected> WellFormed => new()
    {
        { "redis://alice:s3cret@cache.local:6380/2", new("cache.local", 6380, "alice", "s3cret", 2, false) },
        { "redis://:s3cret@cache.local:6380", new("cache.local", 6380, null, "s3cret", null, false) },
        { "redis://s3cret@cache.local:6380", new("cache.local", 6380, null, "s3cret", null, false) },
        { "redis://bob:p%40ss%2Fw%3Ard%25@cache.local:6379/0", new("cache.local", 6379, "bob", "p@ss/w:rd%", 0, false) },
        { "rediss://cache.local:6380/0", new("cache.local", 6380, null, null, 0, true) },
        { "redis://cache.local/15", new("cache.local", 6379, null, null, 15, false) },
        { "redis://cache.local", new("cache.local", 6379, null, null, null, false) },
        { "redis://10.1.2.3:7000", new("10.1.2.3", 7000, null, null, null, false) },
        { "cache.local:6381", new("cache.local", 6381, null, null, null, false) },
    };

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void A_well_formed_url_gives_its_endpoint_credentials_database_and_tls(string url, Expected expected)
    {
        var options = RedisUrl.Parse(url);

        var endpoint = Assert.Single(options.EndPoints);
        var (host, port) = endpoint switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            _ => throw new InvalidOperationException($"unexpected endpoint {endpoint}"),
        };
        Assert.Equal(expected, new Expected(host, port, options.User, options.Password, options.DefaultDatabase, options.Ssl));
    }

    [Theory]
    [InlineData("http://cache.local:6379/0", "REDIS_URL must look like redis://")]
    [InlineData("redis:///0", "REDIS_URL must look like redis://")]
    [InlineData("redis://cache.local/zero", "REDIS_URL's database must be a number")]
    [InlineData("redis://cache.local/-1", "REDIS_URL's database must be a number")]
    [InlineData("redis://cache.local/0/1", "REDIS_URL's database must be a number")]
    public void A_malformed_url_is_refused_saying_what_is_wrong(string url, string message)
    {
        var refused = Assert.Throws<ArgumentException>(() => RedisUrl.Parse(url));

        Assert.StartsWith(message, refused.Message);
    }

    [Theory]
    [InlineData("http://alice:" + Secret + "@cache.local:6379/0")]
    [InlineData("ftp://" + Secret + "@cache.local")]
    [InlineData("redis://alice:" + Secret + "@/0")]
    [InlineData("redis://alice:" + Secret + "@cache.local/zero")]
    [InlineData("redis://alice:" + Secret + "@cache.local:notaport/0")]
    [InlineData("redis://alice:" + Secret + "@cache local:6379/0")]
    [InlineData("redis://alice:Hunter2-S3c/ret@cache.local:6379/x")]
    [InlineData("redis//alice:" + Secret + "@cache.local:6379")]
    [InlineData("cache.local:6379,password=" + Secret + ",no-such-option=1")]
    [InlineData("cache.local:6379,user=" + Secret + ",password=x,no-such-option=1")]
    public void A_malformed_url_never_echoes_its_password(string url)
    {
        var refused = Assert.Throws<ArgumentException>(() => RedisUrl.Parse(url));

        Assert.StartsWith("REDIS_URL", refused.Message);
        // The whole exception, inner ones included: whatever logs it, logs this.
        Assert.DoesNotContain("S3c", refused.ToString());
    }

    [Fact]
    public void A_refusal_still_names_the_host_so_the_operator_knows_which_value_was_read()
    {
        var refused = Assert.Throws<ArgumentException>(() => RedisUrl.Parse($"http://alice:{Secret}@cache.local:6379/0"));

        Assert.Contains("\"http://***@cache.local:6379/0\"", refused.Message);
    }
}
