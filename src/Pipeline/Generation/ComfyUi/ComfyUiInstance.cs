namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>One ComfyUI server of COMFYUI_URL and its capacity: how many of our prompts may be queued or running on
/// it at once.</summary>
/// <param name="Index">Its position in COMFYUI_URL: the scheduler's name for it.</param>
public sealed record ComfyUiInstance(int Index, Uri Url, int Capacity)
{
    /// <summary>For logs and messages: the URL without a query or trailing slash.</summary>
    public string Display => Url.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>COMFYUI_URL: one or several http(s) base URLs, comma-separated.</summary>
    public static IReadOnlyList<Uri> ParseUrls(string text)
    {
        var urls = new List<Uri>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                || url.Query.Length > 0 || url.Fragment.Length > 0)
            {
                throw new ArgumentException($"COMFYUI_URL must be comma-separated http(s) base URLs such as http://gpu-1:8188, got \"{part}\"");
            }
            if (url.UserInfo.Length > 0)
            {
                throw new ArgumentException("COMFYUI_URL must not carry a user name or password (they would reach logs); put ComfyUI behind a proxy on a private network instead");
            }
            var normal = new Uri(url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
            if (urls.Contains(normal))
            {
                throw new ArgumentException($"COMFYUI_URL lists {part} twice; raise videoakka.comfyui.instances (its capacity) instead");
            }
            urls.Add(normal);
        }
        return urls.Count > 0 ? urls : throw new ArgumentException("COMFYUI_URL is set but names no URL");
    }
}
