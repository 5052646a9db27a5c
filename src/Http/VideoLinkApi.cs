using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace VideoAkka.Http;

/// <summary>The link a browser's &lt;video&gt; and download use for one job's video.</summary>
/// <param name="ExpiresAt">When its token stops working; null when no API keys are set (the link needs none).</param>
public sealed record VideoLinkResponse(string Url, DateTimeOffset? ExpiresAt);

/// <summary>
/// POST /orchestrate/video/{job_id}/link (behind the API key like every /orchestrate route): a URL of the job's video
/// that opens without the header, for elements that cannot send one. With keys set it carries a token for this job
/// only, valid <see cref="VideoTokens.Lifetime"/>; without keys it is the plain URL. A POST, so that no cache or
/// prefetch keeps one.
/// </summary>
public static class VideoLinkApi
{
    public static Results<Ok<VideoLinkResponse>, ProblemHttpResult> Link(string job_id, ApiKeys keys, TimeProvider clock, HttpResponse response)
    {
        if (!OrchestrateApi.IsJobId(job_id))
        {
            return Problems.UnknownJob(job_id);
        }
        response.Headers.CacheControl = "no-store";
        var url = $"/orchestrate/video/{job_id}";
        if (keys.VideoTokens is null)
        {
            return TypedResults.Ok(new VideoLinkResponse(url, null));
        }
        var (token, expiresAt) = keys.VideoTokens.Mint(job_id, clock.GetUtcNow());
        return TypedResults.Ok(new VideoLinkResponse($"{url}?{VideoTokens.QueryName}={token}", expiresAt));
    }
}
