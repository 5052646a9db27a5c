using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>What each output node writes and the ui object it reports, shaped as recorded (05_animated.json) and
/// as VideoHelperSuite reports (comfyui-api.md §2a).</summary>
internal sealed class OutputNodes(OutputFiles files)
{
    /// <param name="videoExtension">The format the test wants the video nodes to produce.</param>
    /// <param name="underGifs">Report core video nodes as VHS_VideoCombine does.</param>
    /// <param name="silent">The audio nodes write silence instead of the sample tone.</param>
    public async Task<JsonObject> WriteAsync(GraphNode node, string videoExtension, bool underGifs, bool empty, bool silent = false)
    {
        switch (node.ClassType)
        {
            case "SaveAudio":
                return Audio(await files.SaveAsync(Prefix(node, "audio/ComfyUI"), "flac", silent ? "flac-silent" : "flac", empty).ConfigureAwait(false));
            case "SaveAudioMP3":
                return Audio(await files.SaveAsync(Prefix(node, "audio/ComfyUI"), "mp3", silent ? "mp3-silent" : "mp3", empty).ConfigureAwait(false));
            case "SaveAudioOpus":
                return Audio(await files.SaveAsync(Prefix(node, "audio/ComfyUI"), "opus", silent ? "opus-silent" : "opus", empty).ConfigureAwait(false));
            case "PreviewAudio":
                return Audio(await files.PreviewAsync(silent ? "flac-silent" : "flac", "flac", empty).ConfigureAwait(false));
            case "SaveImage":
                return Images(await files.SaveAsync(Prefix(node, "ComfyUI"), "png", "png", empty).ConfigureAwait(false), animated: false);
            case "PreviewImage":
                return Images(await files.PreviewAsync("png", "png", empty).ConfigureAwait(false), animated: false);
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

    /// <summary>nodes_audio.py's save_audio: <c>{"audio": [{filename, subfolder, type}]}</c>, no animated flag.</summary>
    private static JsonObject Audio(SavedFile file) => new()
    {
        ["audio"] = new JsonArray(new JsonObject
        {
            ["filename"] = file.Filename,
            ["subfolder"] = file.Subfolder,
            ["type"] = file.Type,
        }),
    };

    /// <summary>The ui output with every file entry renamed (see <see cref="FakeBehaviour.HostileName"/>).</summary>
    public static JsonObject Renamed(JsonObject ui, string filename, string subfolder)
    {
        foreach (var (_, value) in ui)
        {
            foreach (var entry in (value as JsonArray ?? []).OfType<JsonObject>().Where(e => e.ContainsKey("filename")))
            {
                entry["filename"] = filename;
                entry["subfolder"] = subfolder;
            }
        }
        return ui;
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
