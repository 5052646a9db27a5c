using System.Text.Json.Nodes;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.ComfyUi;

/// <summary>Must show 6: a template that cannot take its bindings stops the start, naming the template and the
/// binding, before any job is taken.</summary>
public sealed class ComfyUiStartupSpecs
{
    private static async Task<ArgumentException> StartRefusedAsync(string hocon)
    {
        var data = Directory.CreateTempSubdirectory("videoakka-startup-").FullName;
        return await Assert.ThrowsAsync<ArgumentException>(() => VideoAkkaApp.BuildAsync(new ServiceOptions
        {
            RedisUrl = "redis://127.0.0.1:1",
            DataRoot = data,
            ComfyUiUrl = "http://127.0.0.1:8188",
            HoconOverrides = hocon,
        }));
    }

    [Fact]
    public async Task A_template_missing_a_bound_node_stops_the_start_naming_the_template_and_the_binding()
    {
        var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "config", "workflows", "image.json")))!.AsObject();
        template.Remove("3"); // the "Sampler" node that receives the seed
        var file = Path.Combine(Directory.CreateTempSubdirectory("videoakka-template-").FullName, "no-sampler.json");
        await File.WriteAllTextAsync(file, template.ToJsonString());

        var refused = await StartRefusedAsync($"videoakka.comfyui.workflows.image.template = \"{file}\"");

        Assert.Contains(file, refused.Message);
        Assert.Contains("videoakka.comfyui.workflows.image.inputs.seed = \"Sampler.seed\"", refused.Message);
        Assert.Contains("names node \"Sampler\", which is not in the template", refused.Message);
    }

    [Fact]
    public async Task A_binding_to_an_input_the_node_does_not_have_stops_the_start_naming_it()
    {
        var refused = await StartRefusedAsync("videoakka.comfyui.workflows.image2video.inputs.fps = \"Create Video.frame_rate\"");

        Assert.Contains("image2video.json", refused.Message);
        Assert.Contains("has no input \"frame_rate\"", refused.Message);
    }

    [Fact]
    public async Task A_workflow_in_the_ui_format_stops_the_start_with_the_export_hint()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("videoakka-template-").FullName, "ui.json");
        await File.WriteAllTextAsync(file, """{"last_node_id": 9, "nodes": [], "links": []}""");

        var refused = await StartRefusedAsync($"videoakka.comfyui.workflows.image.template = \"{file}\"");

        Assert.Contains("Export (API)", refused.Message);
    }

    [Fact]
    public async Task A_comfyui_url_that_is_not_http_stops_the_start()
    {
        var data = Directory.CreateTempSubdirectory("videoakka-startup-").FullName;
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => VideoAkkaApp.BuildAsync(new ServiceOptions
        {
            RedisUrl = "redis://127.0.0.1:1",
            DataRoot = data,
            ComfyUiUrl = "ftp://gpu:8188",
        }));

        Assert.Contains("COMFYUI_URL", refused.Message);
    }
}
