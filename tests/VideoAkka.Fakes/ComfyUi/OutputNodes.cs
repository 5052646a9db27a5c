using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>What each output node writes and the ui object it reports, shaped as recorded (05_animated.json) and
/// as VideoHelperSuite reports (comfyui-api.md §2a).</summary>
internal sealed class OutputNodes(OutputFiles files)
{
    /// <param name="videoExtension">The format the test wants the video nodes to produce.</param>
    /// <param name="underGifs">Report core video nodes as VHS_VideoCombine does.</param>
    public async Task<JsonObject> WriteAsync(GraphNode node, string videoExtension, bool underGifs, bool empty)
    {
        switch (node.ClassType)
        {
            case "SaveImage":
                return Images(await files.SaveAsync(Prefix(node, "ComfyUI"), "png", "png", empty).ConfigureAwait(false), animated: false);
            case "PreviewImage":
                return Images(await files.PreviewAsync(empty).ConfigureAwait(false), animated: false);
            case "SaveAnimatedPNG":
                return Images(await files.SaveAsync(Prefix(node, "ComfyUI"), "png", "apng", empty).ConfigureAwait(false), animated: true);
            case "VHS_VideoCombine":
                return await GifsAsync(node, Prefix(node, "AnimateDiff"), videoExtension, empty).ConfigureAwait(false);
            default:
                if (!SampleMedia.VideoExtensions.Contains(videoExtension))
                {
                    throw new ArgumentOutOfRangeException(nameof(videoExtension), videoExtension, "FakeComfyUi writes mp4, webm, webp or gif videos");
                }
                var prefix = Prefix(node, node.ClassType == "SaveVideo" ? "video/ComfyUI" : "ComfyUI");
                return underGifs
                    ? await GifsAsync(node, prefix, videoExtension, empty).ConfigureAwait(false)
                    : Images(await files.SaveAsync(prefix, videoExtension, videoExtension, empty).ConfigureAwait(false), animated: true);
        }
    }

    private async Task<JsonObject> GifsAsync(GraphNode node, string prefix, string ext, bool empty)
    {
        var toTemp = node.Inputs.ValueKind == System.Text.Json.JsonValueKind.Object
            && node.Inputs.TryGetProperty("save_output", out var save) && save.ValueKind == System.Text.Json.JsonValueKind.False;
        var file = await files.SaveVhsAsync(prefix, ext, toTemp, empty).ConfigureAwait(false);
        var entry = new JsonObject
        {
            ["filename"] = file.Filename,
            ["subfolder"] = file.Subfolder,
            ["type"] = file.Type,
            ["format"] = ext switch
            {
                "mp4" => "video/h264-mp4",
                "webm" => "video/webm",
                _ => $"image/{ext}",
            },
            ["frame_rate"] = node.NumberInput("frame_rate") ?? node.NumberInput("fps") ?? 16,
            ["workflow"] = Path.ChangeExtension(file.Filename, ".png"),
            ["fullpath"] = file.FullPath,
        };
        return new JsonObject { ["gifs"] = new JsonArray(entry) };
    }

    private static JsonObject Images(SavedFile file, bool animated)
    {
        var ui = new JsonObject
        {
            ["images"] = new JsonArray(new JsonObject
            {
                ["filename"] = file.Filename,
                ["subfolder"] = file.Subfolder,
                ["type"] = file.Type,
            }),
        };
        if (animated)
        {
            ui["animated"] = new JsonArray(true);
        }
        return ui;
    }

    private static string Prefix(GraphNode node, string fallback) => node.StringInput("filename_prefix") ?? fallback;
}
