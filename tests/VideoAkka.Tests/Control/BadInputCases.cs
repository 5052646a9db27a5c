using System.Text;
using System.Text.Json.Nodes;

namespace VideoAkka.Tests.Control;

/// <summary>One hostile request and the 4xx it must get.</summary>
public sealed record BadInputCase(string Name, HttpMethod Method, string Path, byte[]? Body, int Expected)
{
    /// <summary>Null sends no Content-Type at all.</summary>
    public string? ContentType { get; init; } = "application/json";

    /// <summary>Null sends no X-API-Key; the default is the service's valid key.</summary>
    public string? ApiKey { get; init; } = BadInputCases.ValidKey;

    /// <summary>Sent without a Content-Length, in chunks.</summary>
    public bool Chunked { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Kestrel refuses the request before any of our code runs (a NUL in the path): it answers 400 with an
    /// empty body, and nothing can give it a problem body there.</summary>
    public bool RefusedByKestrel { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// Issue 11, Must show 6: the table of bad input. Every path-like value carries <see cref="Marker"/>, so that a file
/// it made anywhere would be found by name.
/// </summary>
public static class BadInputCases
{
    public const string ValidKey = "bad-input-suite-key-0123456789";
    public const string Marker = "vaescape";

    private const int BadRequest = 400, Unauthorized = 401, NotFound = 404, MethodNotAllowed = 405,
        TooLarge = 413, UnsupportedMediaType = 415;

    private static readonly string JobId = "0f8fad5b-d9cb-469f-a165-70867728950e";

    public static IReadOnlyDictionary<string, BadInputCase> All { get; } = Build().ToDictionary(c => c.Name);

    private static IEnumerable<BadInputCase> Build() =>
    [
        .. MalformedJson(),
        .. WrongTypes(),
        .. HugeValues(),
        .. DeepNesting(),
        .. UnicodeTricks(),
        .. Traversal(),
        .. ContentTypes(),
        .. PathParameters(),
        .. Queries(),
        .. Methods(),
        .. ApiKeys(),
        .. FrontendUpdates(),
    ];

    // ---- bodies ----

    /// <summary>A valid job with one field replaced (or removed, when the value is null).</summary>
    private static byte[] JobWith(string field, JsonNode? value, bool remove = false)
    {
        var job = ValidJob();
        var (parent, name) = Locate(job, field);
        if (remove)
        {
            parent.Remove(name);
        }
        else
        {
            parent[name] = value;
        }
        return Encoding.UTF8.GetBytes(job.ToJsonString());
    }

    private static JsonObject ValidJob() => new()
    {
        ["script"] = "Hello there. This is a short test video.",
        ["run_id"] = "bad-input-run",
        ["prompts"] = new JsonArray(new JsonObject { ["image"] = "a lighthouse at dusk", ["duration"] = 1 }),
        ["options"] = new JsonObject { ["voiceover"] = false },
    };

    private static (JsonObject Parent, string Name) Locate(JsonObject job, string field) => field.Split('.') switch
    {
        [var name] => (job, name),
        ["options", var name] => ((JsonObject)job["options"]!, name),
        ["scene", var name] => ((JsonObject)job["prompts"]![0]!, name),
        _ => throw new ArgumentException(field),
    };

    /// <summary>A valid job written out with one raw JSON fragment in place of a field's value (for what JsonNode
    /// cannot hold: lone surrogates, raw bytes, huge numbers).</summary>
    private static byte[] JobWithRaw(string field, string rawJson) =>
        Raw(RawJob(field, rawJson));

    private static string RawJob(string field, string rawJson)
    {
        var value = (string name, string normal) => field == name ? rawJson : normal;
        return "{\"script\":" + value("script", "\"Hello there. This is a short test video.\"")
            + ",\"run_id\":" + value("run_id", "\"bad-input-run\"")
            + ",\"prompts\":[{\"image\":" + value("scene.image", "\"a lighthouse at dusk\"")
            + ",\"duration\":" + value("scene.duration", "1")
            + (field.StartsWith("scene.", StringComparison.Ordinal) && field is not ("scene.image" or "scene.duration") ? $",\"{field[6..]}\":{rawJson}" : "")
            + "}],\"options\":{\"voiceover\":false"
            + (field.StartsWith("options.", StringComparison.Ordinal) ? $",\"{field[8..]}\":{rawJson}" : "")
            + "}"
            + (field.StartsWith("extra", StringComparison.Ordinal) ? $",\"{field}\":{rawJson}" : "")
            + "}";
    }

    private static byte[] Raw(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Bytes(params object[] parts) =>
    [
        .. parts.SelectMany(p => p switch
        {
            string s => Encoding.UTF8.GetBytes(s),
            byte[] b => b,
            _ => throw new ArgumentException(p.ToString()),
        }),
    ];

    private static BadInputCase Post(string name, byte[] body, int expected = BadRequest) =>
        new(name, HttpMethod.Post, "/orchestrate/start", body, expected);

    // ---- the table ----

    private static IEnumerable<BadInputCase> MalformedJson() =>
    [
        Post("json: empty body", []),
        Post("json: an opening brace only", Raw("{")),
        Post("json: trailing comma", Raw("{\"script\":\"a b\",}")),
        Post("json: single quotes", Raw("{'script':'a b'}")),
        Post("json: two documents", Raw(RawJob("script", "\"Hello there.\"") + "{\"x\":1}")),
        Post("json: a comment", Raw("/* hi */" + RawJob("script", "\"Hello there.\""))),
        Post("json: an invalid escape", JobWithRaw("script", "\"Hello \\x there\"")),
        Post("json: an unterminated string", Raw("{\"script\":\"Hello there")),
        Post("json: NaN", JobWithRaw("scene.duration", "NaN")),
        Post("json: Infinity", JobWithRaw("scene.duration", "Infinity")),
        Post("json: a leading zero", JobWithRaw("scene.duration", "01")),
        Post("json: a duplicated run_id", Raw(RawJob("extra", "1").Replace("\"run_id\":\"bad-input-run\"", "\"run_id\":\"bad-input-run\",\"run_id\":\"../" + Marker + "\""))),
        Post("json: plain text", Raw("make me a video")),
        Post("json: a root null", Raw("null")),
        Post("json: a root array", Raw("[]")),
        Post("json: a root string", Raw("\"Hello there.\"")),
        Post("json: a root number", Raw("42")),
        Post("json: a root true", Raw("true")),
        Post("json: a control character raw in a string", Raw("{\"script\":\"Hello\u0001there\"}")),
    ];

    private static IEnumerable<BadInputCase> WrongTypes() =>
    [
        Post("type: script is a number", JobWith("script", 42)),
        Post("type: script is an array", JobWith("script", new JsonArray("Hello there."))),
        Post("type: script is an object", JobWith("script", new JsonObject { ["text"] = "Hello there." })),
        Post("type: script is null", JobWith("script", null)),
        Post("type: script is missing", JobWith("script", null, remove: true)),
        Post("type: script is empty", JobWith("script", "")),
        Post("type: script is whitespace", JobWith("script", " \n\t ")),
        Post("type: script is punctuation only", JobWith("script", "?!... ---")),
        Post("type: prompts is a string", JobWith("prompts", "a lighthouse")),
        Post("type: prompts is an object", JobWith("prompts", new JsonObject { ["image"] = "a lighthouse" })),
        Post("type: prompts is empty", JobWith("prompts", new JsonArray())),
        Post("type: prompts is missing", JobWith("prompts", null, remove: true)),
        Post("type: a scene is a number", JobWith("prompts", new JsonArray(1))),
        Post("type: a scene is null", JobWith("prompts", new JsonArray((JsonNode?)null))),
        Post("type: a scene is a list", JobWith("prompts", new JsonArray(new JsonArray()))),
        Post("type: a scene's image is a number", JobWith("scene.image", 5)),
        Post("type: a scene has no image", JobWith("scene.image", null, remove: true)),
        Post("type: a duration is a string", JobWith("scene.duration", "5")),
        Post("type: a duration is negative", JobWith("scene.duration", -1)),
        Post("type: a duration is zero", JobWith("scene.duration", 0)),
        Post("type: a duration is above a minute", JobWith("scene.duration", 61)),
        Post("type: run_id is a number", JobWith("run_id", 7)),
        Post("type: run_id is empty", JobWith("run_id", "")),
        Post("type: run_id is a boolean", JobWith("run_id", true)),
        Post("type: options is a string", JobWith("options", "fast")),
        Post("type: options.aspect is 4:3", JobWith("options.aspect", "4:3")),
        Post("type: options.fps is zero", JobWith("options.fps", 0)),
        Post("type: options.fps is 1000", JobWith("options.fps", 1000)),
        Post("type: options.voiceover is a string", JobWith("options.voiceover", "yes")),
        Post("type: options.voice is a shell command", JobWith("options.voice", "en; touch /tmp/" + Marker)),
        // This service has no COMFYUI_URL: the ComfyUI speech engine is refused whatever workflow is named.
        Post("type: options.voice asks comfyui without a ComfyUI backend", JobWithRaw("options.voice", "{\"engine\":\"comfyui\",\"name\":\"kokoro\"}")),
        Post("traversal: options.voice names a comfyui workflow by path", JobWithRaw("options.voice", "{\"engine\":\"comfyui\",\"name\":\"../../workflows/" + Marker + "\"}")),
        Post("type: options.seed is negative", JobWith("options.seed", -1)),
        Post("type: options.subtitles is a string", JobWith("options.subtitles", "karaoke")),
        Post("type: options.subtitles.mode is unknown", JobWithRaw("options.subtitles", "{\"mode\":\"scroll\"}")),
        Post("type: options.subtitles.style.font writes an ASS line", JobWithRaw("options.subtitles", "{\"style\":{\"font\":\"Sans\\n[Events]\\nDialogue: 0\"}}")),
        Post("type: options.subtitles.style.primary_colour is a name", JobWithRaw("options.subtitles", "{\"style\":{\"primary_colour\":\"white\"}}")),
        Post("type: options.subtitles.style.max_lines is 3", JobWithRaw("options.subtitles", "{\"style\":{\"max_lines\":3}}")),
        Post("type: options.subtitles.style has an unknown field", JobWithRaw("options.subtitles", "{\"style\":{\"colour\":\"#FFFFFF\"}}")),
        Post("type: a scene's seed has a fraction", JobWith("scene.seed", 1.5)),
        Post("type: a scene's motion is unknown", JobWith("scene.motion", "fly")),
        Post("type: caption is a number", JobWith("caption", 3)),
        Post("type: a scene's video is an object", JobWith("scene.video", new JsonObject())),
    ];

    private static IEnumerable<BadInputCase> HugeValues() =>
    [
        Post("huge: a script of 20 001 characters", JobWith("script", new string('a', 20_001))),
        Post("huge: a prompt of 4 001 characters", JobWith("scene.image", new string('a', 4_001))),
        Post("huge: a caption of 4 001 characters", JobWith("caption", new string('a', 4_001))),
        Post("huge: 101 scenes", JobWith("prompts", new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)$"scene {i}")]))),
        Post("huge: a run_id of 129 characters", JobWith("run_id", "a" + new string('b', 128))),
        Post("huge: a duration of 1e400", JobWithRaw("scene.duration", "1e400")),
        Post("huge: a duration of 10 000 digits", JobWithRaw("scene.duration", new string('9', 10_000))),
        Post("huge: a seed of 1e30", JobWithRaw("options.seed", "1000000000000000000000000000000")),
        Post("huge: an fps of 2^64", JobWithRaw("options.fps", "18446744073709551616")),
        Post("huge: a caption size of 2^64", JobWithRaw("options.subtitles", "{\"style\":{\"size\":18446744073709551616}}")),
        Post("huge: a body over 1 MiB", JobWith("extra", new string('a', 1024 * 1024)), TooLarge),
        Post("huge: a chunked body over 1 MiB", JobWith("extra", new string('a', 2 * 1024 * 1024)), TooLarge) with { Chunked = true },
        Post("huge: 70 000 unread keys within 1 MiB", Raw("{" + string.Join(",", Enumerable.Range(0, 70_000).Select(i => $"\"k{i}\":1")) + "}")),
    ];

    private static IEnumerable<BadInputCase> DeepNesting() =>
    [
        Post("deep: 33 nested arrays", JobWithRaw("extra", new string('[', 33) + new string(']', 33))),
        Post("deep: 100 000 nested arrays", JobWithRaw("extra", new string('[', 100_000) + new string(']', 100_000))),
        Post("deep: 40 nested objects", JobWithRaw("extra", string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40))),
        Post("deep: nested scenes", JobWithRaw("extra", "[" + string.Concat(Enumerable.Repeat("{\"prompts\":[", 20)) + "1" + string.Concat(Enumerable.Repeat("]}", 20)) + "]")),
    ];

    private static IEnumerable<BadInputCase> UnicodeTricks() =>
    [
        Post("unicode: a lone high surrogate in the script", JobWithRaw("script", "\"Hello \\ud800 there\"")),
        Post("unicode: a lone low surrogate in an unread field", JobWithRaw("extra", "\"\\udc00\"")),
        Post("unicode: a lone surrogate in a property name", Raw(RawJob("extra", "1").Replace("\"extra\"", "\"\\ud83d\""))),
        Post("unicode: surrogates in the wrong order", JobWithRaw("scene.image", "\"\\udc00\\ud800\"")),
        Post("unicode: a raw 0xFF byte", Bytes("{\"script\":\"Hello ", new byte[] { 0xFF }, " there\"}")),
        Post("unicode: an overlong slash in run_id", Bytes("{\"script\":\"Hello there.\",\"run_id\":\"..", new byte[] { 0xC0, 0xAF }, Marker, "\",\"prompts\":[\"a\"]}")),
        Post("unicode: an overlong NUL in the script", Bytes("{\"script\":\"Hello ", new byte[] { 0xC0, 0x80 }, " there\",\"prompts\":[\"a\"]}")),
        Post("unicode: a surrogate encoded as UTF-8", Bytes("{\"script\":\"Hello ", new byte[] { 0xED, 0xA0, 0x80 }, " there\",\"prompts\":[\"a\"]}")),
        Post("unicode: a truncated multi-byte sequence", Bytes("{\"script\":\"Hello ", new byte[] { 0xE2, 0x82 }, "\",\"prompts\":[\"a\"]}")),
        Post("unicode: a byte order mark before the body", Bytes(new byte[] { 0xEF, 0xBB, 0xBF }, RawJob("run_id", "\"bom-run\""))),
        Post("unicode: a byte order mark in run_id", JobWith("run_id", "\uFEFFrun")),
        Post("unicode: a right-to-left override in run_id", JobWith("run_id", "run\u202Egpj.exe")),
        Post("unicode: NUL in run_id", JobWith("run_id", "run\u0000" + Marker)),
        Post("unicode: NUL in the script", JobWith("script", "Hello\u0000 there.")),
        Post("unicode: NUL in a prompt", JobWith("scene.image", "a lighthouse\u0000")),
        Post("unicode: NUL in the caption", JobWith("caption", "caption\u0000")),
        Post("unicode: escape in the voice", JobWith("options.voice", "en\u001b[31m")),
        Post("unicode: a zero-width joiner in run_id", JobWith("run_id", "run\u200Did")),
        Post("unicode: fullwidth dots in run_id", JobWith("run_id", "\uFF0E\uFF0E\uFF0F" + Marker)),
        Post("unicode: a Cyrillic letter in run_id", JobWith("run_id", "r\u0430n")),
        Post("unicode: an emoji in run_id", JobWith("run_id", "run-\U0001F3AC")),
        Post("unicode: a UTF-16 body", Encoding.Unicode.GetBytes(RawJob("run_id", "\"utf16\"")), UnsupportedMediaType) with { ContentType = "application/json; charset=utf-16" },
        Post("unicode: a UTF-16 body without a charset", Encoding.Unicode.GetBytes(RawJob("run_id", "\"utf16\""))),
    ];

    private static IEnumerable<BadInputCase> Traversal() =>
    [
        Post("traversal: run_id ../", JobWith("run_id", "../" + Marker)),
        Post("traversal: run_id ..\\", JobWith("run_id", "..\\" + Marker)),
        Post("traversal: run_id absolute", JobWith("run_id", "/tmp/" + Marker)),
        Post("traversal: run_id .", JobWith("run_id", ".")),
        Post("traversal: run_id ..", JobWith("run_id", "..")),
        Post("traversal: run_id hidden", JobWith("run_id", "." + Marker)),
        Post("traversal: run_id through a folder", JobWith("run_id", "a/../../" + Marker)),
        Post("traversal: run_id percent-encoded", JobWith("run_id", "%2e%2e%2f" + Marker)),
        Post("traversal: run_id with a trailing newline", JobWith("run_id", Marker + "\n")),
        Post("traversal: run_id named .redis", JobWith("run_id", ".redis")),
        Post("traversal: image_file ../", JobWith("scene.image_file", "../../" + Marker + ".png")),
        Post("traversal: image_file absolute", JobWith("scene.image_file", "/etc/passwd")),
        Post("traversal: image_file in a folder", JobWith("scene.image_file", "sub/" + Marker + ".png")),
        Post("traversal: image_file a Windows path", JobWith("scene.image_file", "C:\\" + Marker + ".png")),
        Post("traversal: image_file not an image", JobWith("scene.image_file", Marker + ".sh")),
        Post("traversal: image_file with NUL", JobWith("scene.image_file", Marker + ".png\u0000.txt")),
        Post("traversal: clip_file ../", JobWith("scene.clip_file", "../../" + Marker + ".mp4")),
        Post("traversal: clip_file absolute", JobWith("scene.clip_file", "/etc/passwd")),
        Post("traversal: clip_file in a folder", JobWith("scene.clip_file", "sub/" + Marker + ".mp4")),
        Post("traversal: clip_file an HLS playlist", JobWith("scene.clip_file", Marker + ".m3u8")),
        Post("traversal: clip_file with NUL", JobWith("scene.clip_file", Marker + ".mp4\u0000.txt")),
        Post("clip_file naming a clip the worker writes", JobWith("scene.clip_file", "vid_002.mp4")),
        Post("clip_file naming the final video", JobWith("scene.clip_file", "stitched_subtitled.mp4")),
        Post("image_file naming an image the worker writes", JobWith("scene.image_file", "img_001.png")),
        Post("traversal: image_url file://", JobWith("scene.image_url", "file:///etc/passwd")),
        Post("traversal: image_url to loopback Redis", JobWith("scene.image_url", "http://127.0.0.1:6379/" + Marker + ".png")),
        Post("traversal: image_url to cloud metadata", JobWith("scene.image_url", "http://169.254.169.254/latest/meta-data/")),
        Post("traversal: image_url to IPv6 loopback", JobWith("scene.image_url", "http://[::1]/" + Marker + ".png")),
        Post("traversal: image_url to a private network with credentials", JobWith("scene.image_url", "http://user:pass@10.0.0.1/" + Marker + ".png")),
        Post("traversal: image_url ftp", JobWith("scene.image_url", "ftp://example.com/" + Marker + ".png")),
        Post("traversal: image_url javascript", JobWith("scene.image_url", "javascript:alert(1)")),
        Post("traversal: image_url relative", JobWith("scene.image_url", "../" + Marker + ".png")),
        Post("traversal: image_url gopher", JobWith("scene.image_url", "gopher://127.0.0.1:6379/_FLUSHALL")),
        Post("traversal: image_url and image_file both", JobWithRaw("scene.image_url", "\"https://example.com/a.png\",\"image_file\":\"a.png\"")),
    ];

    private static IEnumerable<BadInputCase> ContentTypes() =>
    [
        Post("content type: text/plain", JobWith("run_id", Marker), UnsupportedMediaType) with { ContentType = "text/plain" },
        Post("content type: a form", Raw("script=Hello&run_id=" + Marker), UnsupportedMediaType) with { ContentType = "application/x-www-form-urlencoded" },
        Post("content type: multipart", Raw("--b\r\n\r\n{}\r\n--b--"), UnsupportedMediaType) with { ContentType = "multipart/form-data; boundary=b" },
        Post("content type: XML", Raw("<job/>"), UnsupportedMediaType) with { ContentType = "application/xml" },
        Post("content type: an image", [0x89, 0x50, 0x4E, 0x47], UnsupportedMediaType) with { ContentType = "image/png" },
        Post("content type: JSON in Latin-1", JobWith("run_id", Marker), UnsupportedMediaType) with { ContentType = "application/json; charset=iso-8859-1" },
        Post("content type: garbage", JobWith("run_id", Marker), UnsupportedMediaType) with { ContentType = ";;;" },
    ];

    private static BadInputCase Get(string name, string path, int expected = NotFound) => new(name, HttpMethod.Get, path, null, expected);

    private static IEnumerable<BadInputCase> PathParameters()
    {
        var long5000 = new string('a', 5_000);
        return
        [
            Get("path: status of an encoded traversal", "/orchestrate/status/..%2F..%2F" + Marker),
            Get("path: status of a double-encoded traversal", "/orchestrate/status/%252e%252e%252f" + Marker),
            Get("path: status of an emoji", "/orchestrate/status/%F0%9F%8E%AC"),
            Get("path: status of 5 000 characters", "/orchestrate/status/" + long5000),
            Get("path: status with NUL", "/orchestrate/status/" + JobId[..10] + "%00" + JobId[11..], BadRequest) with { RefusedByKestrel = true },
            Get("path: status of a Redis key pattern", "/orchestrate/status/*"),
            Get("path: status of a job id with braces", "/orchestrate/status/{" + JobId + "}"),
            Get("path: status of an unknown job", "/orchestrate/status/" + JobId),
            Get("path: video of an encoded traversal", "/orchestrate/video/..%2F..%2Fetc%2Fpasswd"),
            Get("path: video of 5 000 characters", "/orchestrate/video/" + long5000),
            Get("path: video of an unknown job", "/orchestrate/video/" + JobId),
            new("path: cancel of an emoji", HttpMethod.Post, "/orchestrate/cancel/%F0%9F%8E%AC", null, NotFound),
            new("path: cancel of 5 000 characters", HttpMethod.Post, "/orchestrate/cancel/" + long5000, null, NotFound),
            new("path: cancel of a traversal", HttpMethod.Post, "/orchestrate/cancel/..%2F" + Marker, null, NotFound),
            new("path: retry of an emoji", HttpMethod.Post, "/orchestrate/retry/%F0%9F%8E%AC", null, NotFound),
            new("path: retry of 5 000 characters", HttpMethod.Post, "/orchestrate/retry/" + long5000, null, NotFound),
            new("path: retry of an unknown job", HttpMethod.Post, "/orchestrate/retry/" + JobId, null, NotFound),
            Get("path: an unknown route", "/orchestrate/" + Marker),
            Get("path: events of an unknown job", "/orchestrate/events/" + JobId),
            Get("path: events of a traversal", "/orchestrate/events/..%2F" + Marker),
            Get("header: a forged Last-Event-ID", "/orchestrate/events", BadRequest) with { Headers = new Dictionary<string, string> { ["Last-Event-ID"] = "../" + Marker } },
            Get("header: a Last-Event-ID past any number", "/orchestrate/events", BadRequest) with { Headers = new Dictionary<string, string> { ["Last-Event-ID"] = "99999999999999999999-0" } },
        ];
    }

    private static IEnumerable<BadInputCase> Queries() =>
    [
        Get("query: jobs limit of zero", "/orchestrate/jobs?limit=0", BadRequest),
        Get("query: jobs limit negative", "/orchestrate/jobs?limit=-1", BadRequest),
        Get("query: jobs limit not a number", "/orchestrate/jobs?limit=ten", BadRequest),
        Get("query: jobs limit past int", "/orchestrate/jobs?limit=99999999999999999999", BadRequest),
        Get("query: jobs limit too large", "/orchestrate/jobs?limit=100000", BadRequest),
        Get("query: jobs status unknown", "/orchestrate/jobs?status=" + Marker, BadRequest),
        Get("query: jobs cursor forged", "/orchestrate/jobs?cursor=..%2F" + Marker, BadRequest),
        Get("query: dead letter cursor negative", "/orchestrate/dead-letter?cursor=-5", BadRequest),
        Get("query: dead letter limit not a number", "/orchestrate/dead-letter?limit=%F0%9F%8E%AC", BadRequest),
    ];

    private static IEnumerable<BadInputCase> Methods() =>
    [
        Get("method: GET start", "/orchestrate/start", MethodNotAllowed),
        new("method: PUT start", HttpMethod.Put, "/orchestrate/start", JobWith("run_id", Marker), MethodNotAllowed),
        new("method: DELETE status", HttpMethod.Delete, "/orchestrate/status/" + JobId, null, MethodNotAllowed),
        new("method: POST status", HttpMethod.Post, "/orchestrate/status/" + JobId, null, MethodNotAllowed),
        Get("method: GET cancel", "/orchestrate/cancel/" + JobId, MethodNotAllowed),
        new("method: PATCH video", HttpMethod.Patch, "/orchestrate/video/" + JobId, null, MethodNotAllowed),
        new("method: DELETE jobs", HttpMethod.Delete, "/orchestrate/jobs", null, MethodNotAllowed),
    ];

    private static BadInputCase Notice(string name, string json, int expected = BadRequest) =>
        new(name, HttpMethod.Post, "/frontend/webhook/job-update", Raw(json), expected);

    /// <summary>POST /frontend/webhook/job-update: exactly {job_id, status}, for a job that exists (none does here).</summary>
    private static IEnumerable<BadInputCase> FrontendUpdates() =>
    [
        Notice("notice: an unknown job", $"{{\"job_id\":\"{JobId}\",\"status\":\"completed\"}}", NotFound),
        Notice("notice: a job id that is a traversal", $"{{\"job_id\":\"../{Marker}\",\"status\":\"completed\"}}"),
        Notice("notice: a job id of 1 000 characters", $"{{\"job_id\":\"{new string('a', 1_000)}\",\"status\":\"completed\"}}"),
        Notice("notice: a job id that is a number", "{\"job_id\":42,\"status\":\"completed\"}"),
        Notice("notice: no job id", "{\"status\":\"completed\"}"),
        Notice("notice: an unknown status", $"{{\"job_id\":\"{JobId}\",\"status\":\"done\"}}"),
        Notice("notice: a status in capitals", $"{{\"job_id\":\"{JobId}\",\"status\":\"COMPLETED\"}}"),
        Notice("notice: a status that is an object", $"{{\"job_id\":\"{JobId}\",\"status\":{{\"$ne\":null}}}}"),
        Notice("notice: a lone surrogate in the status", $"{{\"job_id\":\"{JobId}\",\"status\":\"\\ud800\"}}"),
        Notice("notice: no status", $"{{\"job_id\":\"{JobId}\"}}"),
        Notice("notice: a field besides the two", $"{{\"job_id\":\"{JobId}\",\"status\":\"completed\",\"html\":\"<script>\"}}"),
        Notice("notice: the job id given twice", $"{{\"job_id\":\"{JobId}\",\"job_id\":\"../{Marker}\",\"status\":\"completed\"}}"),
        Notice("notice: a root array", $"[{{\"job_id\":\"{JobId}\",\"status\":\"completed\"}}]"),
        Notice("notice: an empty body", ""),
        Notice("notice: a body over 4 KiB", $"{{\"job_id\":\"{JobId}\",\"status\":\"completed\",\"x\":\"{new string('a', 5_000)}\"}}", TooLarge),
        Notice("notice: a form", $"job_id={JobId}&status=completed", UnsupportedMediaType) with { ContentType = "application/x-www-form-urlencoded" },
        Notice("notice: no API key", $"{{\"job_id\":\"{JobId}\",\"status\":\"completed\"}}", Unauthorized) with { ApiKey = null },
        Get("notice: GET", "/frontend/webhook/job-update", MethodNotAllowed),
    ];

    private static IEnumerable<BadInputCase> ApiKeys() =>
    [
        Post("key: missing", JobWith("run_id", Marker), Unauthorized) with { ApiKey = null },
        Post("key: empty", JobWith("run_id", Marker), Unauthorized) with { ApiKey = "" },
        Post("key: wrong", JobWith("run_id", Marker), Unauthorized) with { ApiKey = "not-the-key-0123456789" },
        Post("key: another case", JobWith("run_id", Marker), Unauthorized) with { ApiKey = ValidKey.ToUpperInvariant() },
        Post("key: with a trailing space", JobWith("run_id", Marker), Unauthorized) with { ApiKey = ValidKey + " x" },
        Post("key: in the query string", JobWith("run_id", Marker), Unauthorized) with { ApiKey = null, Path = "/orchestrate/start?api_key=" + ValidKey },
        Post("key: as a bearer token", JobWith("run_id", Marker), Unauthorized) with { ApiKey = null, Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + ValidKey } },
        Get("key: missing on status", "/orchestrate/status/" + JobId, Unauthorized) with { ApiKey = null },
        Get("key: missing on jobs", "/orchestrate/jobs", Unauthorized) with { ApiKey = null },
        new BadInputCase("key: missing on cancel", HttpMethod.Post, "/orchestrate/cancel/" + JobId, null, Unauthorized) with { ApiKey = null },
    ];
}
