using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace VideoAkka.Http;

/// <summary>
/// Serves the built web page at /: its hashed assets (/assets/*, named by content hash by Vite) for a year as
/// immutable, everything else (index.html first) with no-cache so a new build is seen at once, and index.html for any
/// other GET that asks for HTML (the page's own routes). The API's prefixes never fall back to the page: an unknown
/// /orchestrate path keeps its 404 problem. Without a build, / answers a short page saying how to make one.
/// </summary>
public static class WebPage
{
    /// <summary>Paths that belong to the API and its neighbours (health, metrics, docs, n8n's notices).</summary>
    private static readonly string[] ApiPrefixes = ["/orchestrate", "/healthz", "/metrics", "/docs", "/openapi", "/frontend"];

    public const string ImmutableAssets = "public, max-age=31536000, immutable";

    public static WebApplication UseWebPage(this WebApplication app, WebPageSettings settings)
    {
        if (settings.IsBuilt)
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(settings.Root!),
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl =
                    file.Context.Request.Path.StartsWithSegments("/assets") ? ImmutableAssets : "no-cache",
            });
        }
        // Not async: every API request passes through, and handing on next's own task costs no state machine.
        app.Use((context, next) => IsPageRequest(context) ? ServePageAsync(context, settings) : next(context));
        return app;
    }

    private static Task ServePageAsync(HttpContext context, WebPageSettings settings)
    {
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return settings.IsBuilt
            ? Results.File(Path.Combine(settings.Root!, WebPageSettings.IndexName), "text/html; charset=utf-8").ExecuteAsync(context)
            : Results.Content(NotBuilt, "text/html; charset=utf-8").ExecuteAsync(context);
    }

    /// <summary>A GET or HEAD no endpoint took (a wrong method on an API route has one: its 405), outside the API's
    /// prefixes, from a client that takes HTML (a browser navigating; not a script asking for JSON).</summary>
    private static bool IsPageRequest(HttpContext context)
    {
        var request = context.Request;
        if (context.GetEndpoint() is not null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return false;
        }
        if (ApiPrefixes.Any(prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        if (request.Path.StartsWithSegments("/assets"))
        {
            return false; // a missing hashed asset is a 404, never the page in its place
        }
        var accept = request.GetTypedHeaders().Accept;
        return accept.Count == 0 || accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
            || a.MediaType.Equals("*/*", StringComparison.Ordinal));
    }

    private const string NotBuilt = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>VideoAkka: the web page is not built</title></head>
        <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
        <h1>The web page is not built</h1>
        <p>The API is running (see <code>/orchestrate</code>), but there is no build of the web page to serve.
        Build it with <code>./videoakka up</code> (it builds the page first), or by hand:</p>
        <pre>cd web &amp;&amp; npm ci &amp;&amp; npm run build</pre>
        <p>then restart the service, or point <code>VIDEOAKKA_WEB_ROOT</code> at a folder holding the build.</p>
        </body></html>
        """;
}
