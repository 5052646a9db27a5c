using System.Text.Json;
using System.Text.Json.Nodes;
using VideoAkka.Tests.Support;
using VideoAkka.Fakes;

namespace VideoAkka.Tests.ComfyUi;

/// <summary>What the ComfyUI specs share: the service's settings for a fast fake, request bodies with scenes as
/// objects, and how to read the fake's submissions.</summary>
public static class ComfyUiJobs
{
    /// <summary>Small frames, quick retries and probes, progress written often, private image URLs allowed (the test
    /// image server is on loopback).</summary>
    public const string Hocon = ServiceUnderTest.SmallFrames + """

        videoakka.worker.progress-interval = 100ms
        videoakka.comfyui.first-backoff = 100ms
        videoakka.comfyui.health-interval = 300ms
        videoakka.comfyui.request-timeout = 10s
        videoakka.inputs.image-url.allow-private-networks = on
        """;

    public static string Body(string runId, params JsonNode[] scenes) => new JsonObject
    {
        ["script"] = "A short narration. It has two sentences.",
        ["run_id"] = runId,
        ["prompts"] = new JsonArray(scenes),
        ["options"] = new JsonObject { ["voiceover"] = false },
    }.ToJsonString();

    public static JsonNode Scene(string image, double seconds = 1) => new JsonObject { ["image"] = image, ["duration"] = seconds };

    public static bool IsClip(FakeSubmission s) => s.ClassTypes.Contains("SaveVideo");

    public static bool IsImage(FakeSubmission s) => s.ClassTypes.Contains("SaveImage");

    public static string Status(JsonElement record) => record.GetProperty("status").GetString()!;

    public static string Error(JsonElement record) => record.GetProperty("error").GetString() ?? "";
}
