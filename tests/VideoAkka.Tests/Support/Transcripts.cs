using System.Text.Json;

namespace VideoAkka.Tests.Support;

/// <summary>
/// The recorded exchanges with a real ComfyUI server (shared/comfyui-transcripts, beside the repository). Specs
/// replay them instead of trusting a description of the protocol; where a document and a recording differ, the
/// recording is what the server does.
/// </summary>
public static class Transcripts
{
    private const string FolderName = "comfyui-transcripts";

    /// <summary>$VIDEOAKKA_SHARED_DIR/comfyui-transcripts when the variable is set; otherwise the first
    /// shared/comfyui-transcripts found walking up from the test binaries (the repository's sibling in CI).</summary>
    public static string Folder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("VIDEOAKKA_SHARED_DIR") is { Length: > 0 } shared)
            {
                var named = Path.Combine(shared, FolderName);
                return Directory.Exists(named)
                    ? named
                    : throw new DirectoryNotFoundException($"VIDEOAKKA_SHARED_DIR is {shared}, which has no {FolderName} folder");
            }
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", FolderName);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException(
                $"no shared/{FolderName} above {AppContext.BaseDirectory}; clone 'shared' beside the repository or set VIDEOAKKA_SHARED_DIR");
        }
    }

    /// <summary>The recordings' names ("02_image_ok", ...), sorted.</summary>
    public static IReadOnlyList<string> Names() =>
        [.. Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>A recording by name, with or without ".json".</summary>
    public static Transcript Load(string name)
    {
        var file = Path.Combine(Folder, name.EndsWith(".json", StringComparison.Ordinal) ? name : name + ".json");
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return new Transcript(Path.GetFileNameWithoutExtension(file), document.RootElement.Clone());
    }
}

/// <summary>One recording: <c>{scenario, server, recorded_at_utc, meta, exchanges[]}</c> (see its README).</summary>
public sealed record Transcript(string Name, JsonElement Root)
{
    /// <summary>A string of <c>meta</c>, e.g. the prompt ids the scenario used.</summary>
    public string Meta(string key) => Root.GetProperty("meta").GetProperty(key).GetString()
        ?? throw new InvalidOperationException($"{Name}: meta.{key} is not a string");

    /// <summary>Every received WS text frame, as the JSON text the server sent, in arrival order.</summary>
    public IReadOnlyList<string> WsTextFrames() =>
        [.. Exchanges("ws_recv")
            .Where(e => e.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.True)
            .Select(e => e.GetProperty("json").GetRawText())];

    /// <summary>The HTTP exchanges with this method and exact path (query included), in completion order.</summary>
    public IReadOnlyList<RecordedHttp> Http(string method, string path) =>
        [.. Exchanges("http")
            .Select(e => new RecordedHttp(e.GetProperty("request"), e.GetProperty("response")))
            .Where(h => h.Method == method && h.Path == path)];

    private IEnumerable<JsonElement> Exchanges(string kind) =>
        Root.GetProperty("exchanges").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == kind);
}

/// <summary>One recorded HTTP request and its response.</summary>
public sealed record RecordedHttp(JsonElement Request, JsonElement Response)
{
    public string Method => Request.GetProperty("method").GetString()!;

    public string Path => Request.GetProperty("path").GetString()!;

    /// <summary>The JSON the client posted, if it posted JSON.</summary>
    public JsonElement? RequestJson =>
        Request.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("json", out var json)
            ? json
            : null;

    /// <summary>The raw text the client posted (malformed-JSON cases), if that is what it posted.</summary>
    public string? RequestRawText =>
        Request.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("raw_text", out var raw)
            ? raw.GetString()
            : null;

    public int Status => Response.GetProperty("status").GetInt32();

    /// <summary>The response's JSON body; throws when the body was not JSON.</summary>
    public JsonElement Json => Response.GetProperty("body").GetProperty("json");

    /// <summary>The response body as the server sent it: JSON text, plain text, or "" when empty.</summary>
    public string BodyText
    {
        get
        {
            var body = Response.GetProperty("body");
            if (body.TryGetProperty("json", out var json))
            {
                return json.GetRawText();
            }
            return body.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "";
        }
    }
}
