using Microsoft.Net.Http.Headers;

namespace VideoAkka.Http;

/// <summary>Which Content-Type a job body may come with: JSON in UTF-8. A body without a Content-Type is read as JSON
/// (simple clients omit it); a form, a multipart upload or XML is refused before it is read.</summary>
internal static class JsonMediaType
{
    public static bool IsAcceptable(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            return false;
        }
        var isJson = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var charset = HeaderUtilities.RemoveQuotes(media.Charset).Value; // charset="utf-8" is the same charset
        return isJson && (charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }
}
