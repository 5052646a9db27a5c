namespace VideoAkka.Host.Submit;

/// <summary>The service's base URL: absolute http(s). It is shown in messages without any user name or password it
/// may carry.</summary>
public static class ServiceAddress
{
    public static bool TryParse(string text, out Uri url, out string error)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.Host.Length == 0)
        {
            url = null!;
            error = "the service URL (--url or VIDEOAKKA_URL) must be an absolute http:// or https:// URL";
            return false;
        }
        // Relative routes are resolved against it: "http://host/prefix" must keep its "prefix/".
        url = parsed.AbsolutePath.EndsWith('/') ? parsed : new Uri(parsed + "/");
        error = "";
        return true;
    }

    /// <summary>The URL as printed: scheme, host, port and path only.</summary>
    public static string Shown(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');
}
