using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace VideoAkka.Http;

/// <summary>
/// The API keys that open the /orchestrate routes (VIDEOAKKA_API_KEY: one, or several separated by commas while one is
/// rotated out). Only their SHA-256 digests are kept, and a presented key is compared digest to digest in constant
/// time, so neither its content nor its length leaks through timing.
/// </summary>
public sealed class ApiKeys
{
    public const string Header = "X-API-Key";

    private readonly ImmutableArray<byte[]> _digests;

    private ApiKeys(ImmutableArray<byte[]> digests)
    {
        _digests = digests;
        VideoTokens = digests.IsEmpty ? null : new VideoTokens(digests);
    }

    /// <summary>Links to one job's video for a browser's &lt;video&gt;, which cannot send the header; null when no
    /// keys are set (the video is open then).</summary>
    public VideoTokens? VideoTokens { get; }

    public static ApiKeys None { get; } = new([]);

    public bool Required => !_digests.IsEmpty;

    public static ApiKeys Parse(string? keys)
    {
        var parts = (keys ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(k => k.Length < 16))
        {
            // Not echoed: it is a secret, even a bad one.
            throw new ArgumentException("every key in VIDEOAKKA_API_KEY must be at least 16 characters long");
        }
        return new ApiKeys([.. parts.Select(Digest)]);
    }

    public bool Accepts(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }
        var digest = Digest(presented);
        var accepted = false;
        foreach (var key in _digests)
        {
            accepted |= CryptographicOperations.FixedTimeEquals(key, digest); // every key compared, match or not
        }
        return accepted;
    }

    /// <summary>Lets a request through only with a key, when keys are set (or, on a video route, with a video
    /// token for that job).</summary>
    public ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        !Required || Accepts(context.HttpContext.Request.Headers[Header]) || HasVideoToken(context.HttpContext)
            ? next(context)
            : ValueTask.FromResult<object?>(Problems.MissingApiKey());

    private bool HasVideoToken(HttpContext context) =>
        VideoTokens is not null
        && context.GetEndpoint()?.Metadata.GetMetadata<AcceptsVideoToken>() is not null
        && context.Request.RouteValues["job_id"] is string jobId
        && context.Request.Query[VideoTokens.QueryName] is [var token]
        && VideoTokens.Accepts(jobId, token, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
