using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace VideoAkka.Fakes;

/// <summary>The read-only discovery routes, shaped as recorded in 01_discovery.json. The fake pretends to have one
/// CUDA GPU, since that is what a real ComfyUI backend runs on.</summary>
internal sealed class InfoEndpoints(DataFolders folders, int port)
{
    private const long Vram = 25_769_803_776;

    public Task SystemStatsAsync(HttpContext ctx) => HttpReplies.JsonAsync(ctx, new JsonObject
    {
        ["system"] = new JsonObject
        {
            ["os"] = "posix",
            ["ram_total"] = 67_430_219_776L,
            ["ram_free"] = 60_129_542_144L,
            ["comfyui_version"] = "0.3.64",
            ["required_frontend_version"] = "1.27.10",
            ["installed_templates_version"] = null,
            ["required_templates_version"] = "0.1.95",
            ["python_version"] = "3.11.2 (main, Apr 28 2025, 14:11:48) [GCC 12.2.0]",
            ["pytorch_version"] = "2.8.0+cu128",
            ["embedded_python"] = false,
            ["argv"] = new JsonArray("main.py", "--listen", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        },
        ["devices"] = new JsonArray(new JsonObject
        {
            ["name"] = "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync",
            ["type"] = "cuda",
            ["index"] = 0,
            ["vram_total"] = Vram,
            ["vram_free"] = Vram - 1_073_741_824L,
            ["torch_vram_total"] = 0,
            ["torch_vram_free"] = 0,
        }),
    });

    public Task FeaturesAsync(HttpContext ctx) => HttpReplies.JsonAsync(ctx, ComfyMessages.Features());

    public Task EmptyListAsync(HttpContext ctx) => HttpReplies.JsonAsync(ctx, new JsonArray());

    public Task ModelsAsync(HttpContext ctx) => HttpReplies.JsonAsync(ctx, new JsonArray(
        "checkpoints", "configs", "loras", "vae", "text_encoders", "diffusion_models", "clip_vision", "style_models",
        "embeddings", "diffusers", "vae_approx", "controlnet", "gligen", "upscale_models", "custom_nodes",
        "hypernetworks", "photomaker", "classifiers", "model_patches", "audio_encoders"));

    /// <summary>All classes, or one: {} (200) for a class that is not installed, as the real server answers.</summary>
    public Task ObjectInfoAsync(HttpContext ctx, string? classType)
    {
        var result = new JsonObject();
        foreach (var name in NodeCatalog.All.Where(n => classType is null || n == classType))
        {
            result[name] = Describe(name);
        }
        return HttpReplies.JsonAsync(ctx, result);
    }

    /// <summary>A small but well-formed description; LoadImage lists the uploaded files of input/ (not those in
    /// subfolders, like the real one).</summary>
    private JsonObject Describe(string name)
    {
        var required = new JsonObject();
        if (name == "LoadImage")
        {
            var files = Directory.EnumerateFiles(folders.Input).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            required["image"] = new JsonArray(new JsonArray([.. files.Select(f => (JsonNode?)f)]), new JsonObject { ["image_upload"] = true });
        }
        if (NodeCatalog.IsOutput(name) && name != "PreviewImage")
        {
            required["filename_prefix"] = new JsonArray("STRING", new JsonObject { ["default"] = "ComfyUI" });
        }
        return new JsonObject
        {
            ["input"] = new JsonObject { ["required"] = required },
            ["input_order"] = new JsonObject { ["required"] = new JsonArray([.. required.Select(p => (JsonNode?)p.Key)]) },
            ["output"] = new JsonArray(),
            ["output_is_list"] = new JsonArray(),
            ["output_name"] = new JsonArray(),
            ["name"] = name,
            ["display_name"] = name,
            ["description"] = "",
            ["python_module"] = name.StartsWith("VHS_", StringComparison.Ordinal) ? "custom_nodes.ComfyUI-VideoHelperSuite" : "nodes",
            ["category"] = NodeCatalog.IsOutput(name) ? "image" : "sampling",
            ["output_node"] = NodeCatalog.IsOutput(name),
        };
    }
}
