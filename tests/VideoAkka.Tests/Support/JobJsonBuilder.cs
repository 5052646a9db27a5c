using System.Text.Json;
using System.Text.Json.Nodes;

namespace VideoAkka.Tests.Support;

/// <summary>Request bodies for tests, built as JSON so a test says only what matters to it.</summary>
public static class JobBodies
{
    public static string Simple(string runId, int scenes = 2, double sceneSeconds = 1, string script = "Hello there. This is a short test video.", string? voice = null, bool voiceover = true)
    {
        var options = new JsonObject { ["voiceover"] = voiceover };
        if (voice is not null)
        {
            options["voice"] = voice;
        }
        var body = new JsonObject
        {
            ["script"] = script,
            ["caption"] = "caption #test",
            ["run_id"] = runId,
            ["prompts"] = new JsonArray([.. Enumerable.Range(1, scenes).Select(i => (JsonNode)new JsonObject
            {
                ["image"] = $"Scene {i}: a lighthouse at dusk",
                ["duration"] = sceneSeconds,
            })]),
            ["options"] = options,
        };
        return body.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
