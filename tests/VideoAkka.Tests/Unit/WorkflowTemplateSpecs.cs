using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Configuration;
using VideoAkka.Pipeline.Generation.ComfyUi;
using VideoAkka.Pipeline.Graph;
using Xunit;

namespace VideoAkka.Tests.Unit;

/// <summary>The shipped workflow templates with the bindings of reference.conf, the checks a template goes through at
/// startup, the generation size and frame count rules, and the ComfyUI instances of COMFYUI_URL.</summary>
public class WorkflowTemplateSpecs
{
    private const string OneUrl = "http://127.0.0.1:8188";

    /// <summary>The folder of config/akka.hocon in the test output: the shipped workflows are copied under it.</summary>
    private static readonly string ConfigFolder = Path.Combine(AppContext.BaseDirectory, "config");

    private static string Shipped(string name) => Path.Combine(ConfigFolder, "workflows", name);

    private static ComfyUiSettings Settings(string comfyUiUrl = OneUrl, string hocon = "") =>
        ComfyUiSettings.Create(
            ConfigurationFactory.ParseString(hocon).WithFallback(PipelineSettings.DefaultConfig()).GetConfig("videoakka"),
            comfyUiUrl,
            ConfigFolder);

    private static readonly Lazy<ComfyUiSettings> Defaults = new(() => Settings());

    private static WorkflowTemplate ImageTemplate => Defaults.Value.Image.Template;

    private static WorkflowTemplate VideoTemplate => Defaults.Value.ImageToVideo.Template;

    private static JsonObject Original(string name) => JsonNode.Parse(File.ReadAllText(Shipped(name)))!.AsObject();

    private static string TempTemplate(string json, string name = "template.json")
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("videoakka-workflow-").FullName, name);
        File.WriteAllText(file, json);
        return file;
    }

    private static Dictionary<WorkflowInput, IReadOnlyList<string>> Bind(params (WorkflowInput Input, string Spec)[] bindings) =>
        bindings.GroupBy(b => b.Input).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(b => b.Spec)]);

    private static WorkflowTemplate Load(string file, Dictionary<WorkflowInput, IReadOnlyList<string>> bindings, params WorkflowInput[] required) =>
        WorkflowTemplate.Load("image", file, bindings, required);

    private static ArgumentException LoadRefused(string file, Dictionary<WorkflowInput, IReadOnlyList<string>> bindings, params WorkflowInput[] required) =>
        Assert.Throws<ArgumentException>(() => Load(file, bindings, required));

    /// <summary>"NODE.INPUT" of every input whose value differs between the two graphs, which must hold the same nodes
    /// and inputs.</summary>
    private static string[] Changed(JsonObject before, JsonObject after)
    {
        Assert.Equal(before.Select(n => n.Key).Order(), after.Select(n => n.Key).Order());
        var changed = new List<string>();
        foreach (var (id, node) in after)
        {
            Assert.True(JsonNode.DeepEquals(before[id]!["class_type"], node!["class_type"]));
            Assert.True(JsonNode.DeepEquals(before[id]!["_meta"], node["_meta"]));
            var inputsBefore = before[id]!["inputs"]!.AsObject();
            var inputsAfter = node["inputs"]!.AsObject();
            Assert.Equal(inputsBefore.Select(i => i.Key).Order(), inputsAfter.Select(i => i.Key).Order());
            changed.AddRange(inputsAfter.Where(i => !JsonNode.DeepEquals(i.Value, inputsBefore[i.Key])).Select(i => $"{id}.{i.Key}"));
        }
        return [.. changed.Order(StringComparer.Ordinal)];
    }

    private const string TwoNodes = """
        {
          "1": {"class_type": "KSampler", "_meta": {"title": "Sampler"}, "inputs": {"seed": 1, "steps": 20}},
          "2": {"class_type": "CreateVideo", "_meta": {"title": "Create Video"}, "inputs": {"fps": 24, "rate": 24.0}}
        }
        """;

    // the shipped templates and their bindings

    [Fact]
    public void The_shipped_image_template_loads_with_the_reference_bindings()
    {
        var image = Defaults.Value.Image;

        Assert.Equal("image", image.Name);
        Assert.Equal(Path.GetFullPath(Shipped("image.json")), image.Template.File);
        Assert.Equal((1.0, 64), (image.Megapixels, image.MultipleOf));
    }

    [Fact]
    public void The_image_bindings_resolve_titles_to_node_ids()
    {
        var targets = ImageTemplate.Targets;

        Assert.Equal(
            new Dictionary<WorkflowInput, (string, string)>
            {
                [WorkflowInput.Positive] = ("6", "text"),
                [WorkflowInput.Negative] = ("7", "text"),
                [WorkflowInput.Seed] = ("3", "seed"),
                [WorkflowInput.Width] = ("5", "width"),
                [WorkflowInput.Height] = ("5", "height"),
                [WorkflowInput.FilenamePrefix] = ("9", "filename_prefix"),
            },
            targets.ToDictionary(t => t.Key, t => Assert.Single(t.Value)));
    }

    [Fact]
    public void The_shipped_image_to_video_template_loads_with_the_reference_bindings()
    {
        var video = Defaults.Value.ImageToVideo;

        Assert.Equal("image2video", video.Name);
        Assert.Equal(Path.GetFullPath(Shipped("image2video.json")), video.Template.File);
        Assert.Equal((0.9, 32, 24.0, 121, 4), (video.Megapixels, video.MultipleOf, video.Fps, video.MaxFrames, video.FrameStep));
    }

    [Fact]
    public void The_image_to_video_bindings_resolve_titles_to_node_ids()
    {
        var targets = VideoTemplate.Targets;

        Assert.Equal(
            new Dictionary<WorkflowInput, (string, string)>
            {
                [WorkflowInput.Positive] = ("6", "text"),
                [WorkflowInput.Negative] = ("7", "text"),
                [WorkflowInput.Seed] = ("3", "seed"),
                [WorkflowInput.Width] = ("55", "width"),
                [WorkflowInput.Height] = ("55", "height"),
                [WorkflowInput.Length] = ("55", "length"),
                [WorkflowInput.Fps] = ("58", "fps"),
                [WorkflowInput.Image] = ("57", "image"),
                [WorkflowInput.FilenamePrefix] = ("59", "filename_prefix"),
            },
            targets.ToDictionary(t => t.Key, t => Assert.Single(t.Value)));
    }

    // Apply

    [Fact]
    public void Apply_sets_exactly_the_bound_inputs_of_the_image_template()
    {
        var applied = ImageTemplate.Apply(new Dictionary<WorkflowInput, object>
        {
            [WorkflowInput.Positive] = "a red barn",
            [WorkflowInput.Negative] = "fog",
            [WorkflowInput.Seed] = 123456789012L,
            [WorkflowInput.Width] = 768,
            [WorkflowInput.Height] = 1344,
            [WorkflowInput.FilenamePrefix] = "videoakka/job-1/img_001",
        });

        Assert.Equal(["3.seed", "5.height", "5.width", "6.text", "7.text", "9.filename_prefix"], Changed(Original("image.json"), applied));
        Assert.Equal("a red barn", applied["6"]!["inputs"]!["text"]!.GetValue<string>());
        Assert.Equal("fog", applied["7"]!["inputs"]!["text"]!.GetValue<string>());
        Assert.Equal(123456789012L, applied["3"]!["inputs"]!["seed"]!.GetValue<long>());
        Assert.Equal(768, applied["5"]!["inputs"]!["width"]!.GetValue<int>());
        Assert.Equal(1344, applied["5"]!["inputs"]!["height"]!.GetValue<int>());
        Assert.Equal("videoakka/job-1/img_001", applied["9"]!["inputs"]!["filename_prefix"]!.GetValue<string>());
    }

    [Fact]
    public void Apply_sets_exactly_the_bound_inputs_of_the_image_to_video_template()
    {
        var applied = VideoTemplate.Apply(new Dictionary<WorkflowInput, object>
        {
            [WorkflowInput.Positive] = "waves roll in",
            [WorkflowInput.Negative] = "static",
            [WorkflowInput.Seed] = 7L,
            [WorkflowInput.Width] = 704,
            [WorkflowInput.Height] = 1280,
            [WorkflowInput.Length] = 49,
            [WorkflowInput.Fps] = 16.0,
            [WorkflowInput.Image] = "videoakka/job-1/img_001.png",
            [WorkflowInput.FilenamePrefix] = "videoakka/job-1/vid_001",
        });

        Assert.Equal(
            ["3.seed", "55.height", "55.length", "55.width", "57.image", "58.fps", "59.filename_prefix", "6.text", "7.text"],
            Changed(Original("image2video.json"), applied));
        Assert.Equal(49, applied["55"]!["inputs"]!["length"]!.GetValue<int>());
        Assert.Equal("videoakka/job-1/img_001.png", applied["57"]!["inputs"]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void Apply_ignores_values_the_template_does_not_bind()
    {
        var applied = ImageTemplate.Apply(new Dictionary<WorkflowInput, object>
        {
            [WorkflowInput.Length] = 25,
            [WorkflowInput.Fps] = 24.0,
            [WorkflowInput.Image] = "start.png",
        });

        Assert.Empty(Changed(Original("image.json"), applied));
    }

    [Fact]
    public void Apply_leaves_the_template_untouched_so_a_second_apply_starts_from_the_original()
    {
        var first = ImageTemplate.Apply(new Dictionary<WorkflowInput, object> { [WorkflowInput.Positive] = "first scene", [WorkflowInput.Seed] = 1L });
        first["3"]!["inputs"]!["steps"] = 1; // a caller changing its copy changes nothing else either

        var second = ImageTemplate.Apply(new Dictionary<WorkflowInput, object> { [WorkflowInput.Seed] = 2L });

        Assert.Equal(["3.seed"], Changed(Original("image.json"), second));
        Assert.Equal(2L, second["3"]!["inputs"]!["seed"]!.GetValue<long>());
        Assert.Equal(28, second["3"]!["inputs"]!["steps"]!.GetValue<int>());
    }

    [Fact]
    public void Apply_with_nothing_gives_a_copy_equal_to_the_template_file() =>
        Assert.True(JsonNode.DeepEquals(Original("image2video.json"), VideoTemplate.Apply(new Dictionary<WorkflowInput, object>())));

    [Fact]
    public void A_whole_fps_sent_to_an_integer_input_stays_an_integer()
    {
        var template = Load(TempTemplate(TwoNodes), Bind((WorkflowInput.Fps, "Create Video.fps")));

        var fps = template.Apply(new Dictionary<WorkflowInput, object> { [WorkflowInput.Fps] = 24.0 })["2"]!["inputs"]!["fps"]!.AsValue();

        Assert.True(fps.TryGetValue<long>(out var whole), "an integer input was given a double");
        Assert.Equal(24L, whole);
        Assert.Equal("24", fps.ToJsonString());
    }

    [Fact]
    public void An_fps_sent_to_a_decimal_input_stays_a_number_with_its_fraction()
    {
        var template = Load(TempTemplate(TwoNodes), Bind((WorkflowInput.Fps, "Create Video.rate")));

        var rate = template.Apply(new Dictionary<WorkflowInput, object> { [WorkflowInput.Fps] = 23.976 })["2"]!["inputs"]!["rate"]!;

        Assert.Equal(JsonValueKind.Number, rate.GetValueKind());
        Assert.Equal(23.976, rate.GetValue<double>());
    }

    [Fact]
    public void The_shipped_fps_input_takes_the_model_fps()
    {
        var fps = VideoTemplate.Apply(new Dictionary<WorkflowInput, object> { [WorkflowInput.Fps] = Defaults.Value.ImageToVideo.Fps })["58"]!["inputs"]!["fps"]!;

        Assert.Equal(JsonValueKind.Number, fps.GetValueKind());
        Assert.Equal(24.0, fps.GetValue<double>());
    }

    [Fact]
    public void A_list_binding_sends_one_value_to_several_inputs()
    {
        var template = Load(TempTemplate(TwoNodes), Bind((WorkflowInput.Seed, "Sampler.seed"), (WorkflowInput.Seed, "Sampler.steps")));

        var sampler = template.Apply(new Dictionary<WorkflowInput, object> { [WorkflowInput.Seed] = 9L })["1"]!["inputs"]!;

        Assert.Equal((9L, 9L), (sampler["seed"]!.GetValue<long>(), sampler["steps"]!.GetValue<long>()));
    }

    [Fact]
    public void Apply_refuses_a_value_of_a_type_comfyui_cannot_take()
    {
        var template = Load(TempTemplate(TwoNodes), Bind((WorkflowInput.Seed, "Sampler.seed")));

        Assert.Throws<ArgumentException>(() => template.Apply(new Dictionary<WorkflowInput, object> { [WorkflowInput.Seed] = DateTime.UnixEpoch }));
    }

    // finding nodes

    [Fact]
    public void A_node_is_found_by_its_title() =>
        Assert.Equal(("3", "seed"), Assert.Single(Load(Shipped("image.json"), Bind((WorkflowInput.Seed, "Sampler.seed"))).Targets[WorkflowInput.Seed]));

    [Fact]
    public void A_node_is_found_by_its_id() =>
        Assert.Equal(("3", "seed"), Assert.Single(Load(Shipped("image.json"), Bind((WorkflowInput.Seed, "3.seed"))).Targets[WorkflowInput.Seed]));

    [Fact]
    public void A_binding_splits_at_the_last_dot_so_a_title_may_hold_dots()
    {
        var file = TempTemplate("""{"12": {"class_type": "KSampler", "_meta": {"title": "Sampler v1.2"}, "inputs": {"seed": 1}}}""");

        Assert.Equal(("12", "seed"), Assert.Single(Load(file, Bind((WorkflowInput.Seed, "Sampler v1.2.seed"))).Targets[WorkflowInput.Seed]));
    }

    [Fact]
    public void An_id_wins_over_a_title_that_spells_another_node_id()
    {
        var file = TempTemplate("""
            {
              "1": {"class_type": "KSampler", "_meta": {"title": "2"}, "inputs": {"seed": 1}},
              "2": {"class_type": "KSampler", "_meta": {"title": "Other"}, "inputs": {"seed": 2}}
            }
            """);

        Assert.Equal(("2", "seed"), Assert.Single(Load(file, Bind((WorkflowInput.Seed, "2.seed"))).Targets[WorkflowInput.Seed]));
    }

    [Fact]
    public void A_title_shared_by_several_nodes_is_refused_asking_for_an_id()
    {
        var file = TempTemplate("""
            {
              "6": {"class_type": "CLIPTextEncode", "_meta": {"title": "Prompt"}, "inputs": {"text": "a"}},
              "7": {"class_type": "CLIPTextEncode", "_meta": {"title": "Prompt"}, "inputs": {"text": "b"}}
            }
            """);

        var refused = LoadRefused(file, Bind((WorkflowInput.Positive, "Prompt.text")));

        Assert.Contains(file, refused.Message);
        Assert.Contains("\"Prompt\" is shared by nodes 6, 7", refused.Message);
        Assert.Contains("node id", refused.Message);
    }

    [Fact]
    public void A_template_whose_file_does_not_exist_is_refused_naming_the_file_and_the_template_key()
    {
        var file = Path.Combine(Path.GetTempPath(), $"videoakka-missing-{Guid.NewGuid():N}.json");

        var refused = LoadRefused(file, Bind());

        Assert.Contains(file, refused.Message);
        Assert.Contains("videoakka.comfyui.workflows.image.template", refused.Message);
    }

    // refusals at load

    [Fact]
    public void A_binding_to_a_missing_node_is_refused_naming_the_file_and_the_binding()
    {
        var refused = LoadRefused(Shipped("image.json"), Bind((WorkflowInput.Seed, "KSampler (Advanced).noise_seed")));

        Assert.Contains(Shipped("image.json"), refused.Message);
        Assert.Contains("videoakka.comfyui.workflows.image.inputs.seed", refused.Message);
        Assert.Contains("\"KSampler (Advanced)\"", refused.Message);
    }

    [Fact]
    public void A_binding_to_a_missing_node_id_is_refused_naming_the_file_and_the_binding()
    {
        var refused = LoadRefused(Shipped("image.json"), Bind((WorkflowInput.Width, "99.width")));

        Assert.Contains(Shipped("image.json"), refused.Message);
        Assert.Contains("videoakka.comfyui.workflows.image.inputs.width = \"99.width\"", refused.Message);
    }

    [Fact]
    public void A_binding_to_a_missing_input_is_refused_naming_the_file_the_binding_and_the_inputs_there_are()
    {
        var refused = LoadRefused(Shipped("image.json"), Bind((WorkflowInput.FilenamePrefix, "Save Image.prefix")));

        Assert.Contains(Shipped("image.json"), refused.Message);
        Assert.Contains("videoakka.comfyui.workflows.image.inputs.filename-prefix = \"Save Image.prefix\"", refused.Message);
        Assert.Contains("has no input \"prefix\"", refused.Message);
        Assert.Contains("filename_prefix", refused.Message);
    }

    [Theory]
    [InlineData("Sampler")]
    [InlineData("Sampler.")]
    [InlineData(".seed")]
    public void A_binding_that_is_not_node_dot_input_is_refused_naming_the_binding(string spec)
    {
        var refused = LoadRefused(Shipped("image.json"), Bind((WorkflowInput.Seed, spec)));

        Assert.Contains(Shipped("image.json"), refused.Message);
        Assert.Contains("videoakka.comfyui.workflows.image.inputs.seed", refused.Message);
        Assert.Contains("NODE.INPUT", refused.Message);
    }

    [Fact]
    public void A_template_in_the_ui_format_is_refused_naming_the_file_and_the_export_to_use()
    {
        var file = TempTemplate("""{"last_node_id": 9, "last_link_id": 9, "nodes": [], "links": [], "version": 0.4}""");

        var refused = LoadRefused(file, Bind());

        Assert.Contains(file, refused.Message);
        Assert.Contains("UI format", refused.Message);
        Assert.Contains("Export (API)", refused.Message);
    }

    [Theory]
    [InlineData("{ \"3\": ")]
    [InlineData("not json at all")]
    [InlineData("")]
    public void A_template_that_is_not_json_is_refused_naming_the_file(string text)
    {
        var file = TempTemplate(text);

        var refused = LoadRefused(file, Bind());

        Assert.Contains(file, refused.Message);
        Assert.Contains("not valid JSON", refused.Message);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("42")]
    public void A_template_that_is_not_an_object_of_nodes_is_refused_naming_the_file(string text)
    {
        var file = TempTemplate(text);

        var refused = LoadRefused(file, Bind());

        Assert.Contains(file, refused.Message);
        Assert.Contains("API format", refused.Message);
    }

    [Theory]
    [InlineData("""{"3": {"inputs": {"seed": 1}}}""")]
    [InlineData("""{"3": {"class_type": 5, "inputs": {"seed": 1}}}""")]
    [InlineData("""{"3": {"class_type": "KSampler"}}""")]
    [InlineData("""{"3": {"class_type": "KSampler", "inputs": [1]}}""")]
    [InlineData("""{"3": "KSampler"}""")]
    public void A_node_without_a_class_type_and_inputs_is_refused_naming_the_node(string text)
    {
        var file = TempTemplate(text);

        var refused = LoadRefused(file, Bind());

        Assert.Contains(file, refused.Message);
        Assert.Contains("node 3", refused.Message);
    }

    [Fact]
    public void A_saved_prompt_body_is_read_as_its_graph()
    {
        var file = TempTemplate($$"""{"prompt": {{File.ReadAllText(Shipped("image.json"))}}}""");

        var template = Load(file, Bind((WorkflowInput.Seed, "Sampler.seed")));

        Assert.True(JsonNode.DeepEquals(Original("image.json"), template.Apply(new Dictionary<WorkflowInput, object>())));
    }

    [Fact]
    public void A_required_binding_that_is_absent_is_refused_naming_the_file_and_the_binding()
    {
        var refused = LoadRefused(Shipped("image.json"), Bind((WorkflowInput.Seed, "Sampler.seed")), WorkflowInput.Positive);

        Assert.Contains(Shipped("image.json"), refused.Message);
        Assert.Contains("videoakka.comfyui.workflows.image.inputs.positive must be set", refused.Message);
    }

    [Fact]
    public void A_required_binding_left_empty_in_the_config_stops_the_settings_naming_the_file_and_the_binding()
    {
        var refused = Assert.Throws<ArgumentException>(() => Settings(hocon: """videoakka.comfyui.workflows.image2video.inputs.image = "" """));

        Assert.Contains("image2video.json", refused.Message);
        Assert.Contains("videoakka.comfyui.workflows.image2video.inputs.image must be set", refused.Message);
    }

    [Fact]
    public void An_optional_binding_may_be_left_out()
    {
        var template = Load(Shipped("image.json"), Bind((WorkflowInput.Positive, "Positive prompt.text")), WorkflowInput.Positive);

        Assert.False(template.Binds(WorkflowInput.Negative));
        Assert.True(template.Binds(WorkflowInput.Positive));
    }

    // SizeFor

    [Fact]
    public void A_portrait_frame_at_1_megapixel_in_multiples_of_64_is_768_by_1344() =>
        Assert.Equal((768, 1344), Defaults.Value.Image.SizeFor(1080, 1920));

    [Fact]
    public void A_portrait_frame_at_0_9_megapixel_in_multiples_of_32_is_704_by_1280() =>
        Assert.Equal((704, 1280), Defaults.Value.ImageToVideo.SizeFor(1080, 1920));

    [Fact]
    public void A_landscape_frame_gets_the_transposed_size()
    {
        Assert.Equal((1344, 768), Defaults.Value.Image.SizeFor(1920, 1080));
        Assert.Equal((1280, 704), Defaults.Value.ImageToVideo.SizeFor(1920, 1080));
    }

    [Fact]
    public void A_square_frame_gets_a_square_size()
    {
        Assert.Equal((1024, 1024), Defaults.Value.Image.SizeFor(1080, 1080));
        Assert.Equal((960, 960), Defaults.Value.ImageToVideo.SizeFor(1080, 1080));
    }

    [Theory]
    [InlineData(1080, 1920)]
    [InlineData(1920, 1080)]
    [InlineData(720, 1280)]
    [InlineData(1000, 333)]
    public void A_size_depends_only_on_the_frame_aspect_and_is_a_multiple_of_its_step(int frameWidth, int frameHeight)
    {
        var (width, height) = Defaults.Value.ImageToVideo.SizeFor(frameWidth, frameHeight);

        Assert.Equal(0, width % 32);
        Assert.Equal(0, height % 32);
        Assert.InRange(width * height / 1e6, 0.8, 1.0);
    }

    [Fact]
    public void A_side_never_snaps_below_one_step()
    {
        var workflow = Defaults.Value.Image with { Megapixels = 0.02 };

        var (width, height) = workflow.SizeFor(100, 10_000);

        Assert.Equal(64, width);
        Assert.True(height >= 64);
    }

    // FramesFor

    [Fact]
    public void One_second_at_24_fps_is_25_frames() => Assert.Equal(25, Defaults.Value.ImageToVideo.FramesFor(1));

    [Theory]
    [InlineData(0.1, 5)]
    [InlineData(2, 49)]
    [InlineData(3, 73)]
    [InlineData(4.9, 121)]
    [InlineData(5, 121)]
    public void Frame_counts_are_the_next_4k_plus_1(double seconds, int frames) =>
        Assert.Equal(frames, Defaults.Value.ImageToVideo.FramesFor(seconds));

    [Theory]
    [InlineData(5.1)]
    [InlineData(10)]
    [InlineData(60)]
    public void Frame_counts_stop_at_max_frames(double seconds) => Assert.Equal(121, Defaults.Value.ImageToVideo.FramesFor(seconds));

    [Fact]
    public void A_cap_that_is_not_4k_plus_1_caps_at_the_4k_plus_1_below_it() =>
        Assert.Equal(117, (Defaults.Value.ImageToVideo with { MaxFrames = 120 }).FramesFor(10));

    [Fact]
    public void A_frame_step_of_1_takes_any_count_up_to_max_frames()
    {
        var workflow = Defaults.Value.ImageToVideo with { FrameStep = 1, MaxFrames = 100 };

        Assert.Equal((24, 48, 100), (workflow.FramesFor(1), workflow.FramesFor(2), workflow.FramesFor(10)));
    }

    [Fact]
    public void A_zero_length_clip_still_gets_one_frame() => Assert.Equal(1, Defaults.Value.ImageToVideo.FramesFor(0));

    // COMFYUI_URL

    [Fact]
    public void One_url_makes_one_instance_of_the_default_capacity()
    {
        var instance = Assert.Single(Defaults.Value.Instances);

        Assert.Equal(new ComfyUiInstance(0, new Uri("http://127.0.0.1:8188/"), 1), instance);
        Assert.Equal(1, Defaults.Value.TotalCapacity);
    }

    [Fact]
    public void A_comma_separated_list_makes_one_instance_per_url_in_order()
    {
        var urls = ComfyUiInstance.ParseUrls(" http://gpu-a:8188 ,https://gpu-b.example.com/comfy,http://10.0.0.3:8188 ");

        Assert.Equal(
            [new Uri("http://gpu-a:8188/"), new Uri("https://gpu-b.example.com/comfy/"), new Uri("http://10.0.0.3:8188/")],
            urls);
    }

    [Fact]
    public void Instances_are_numbered_by_their_place_in_the_list()
    {
        var settings = Settings("http://gpu-a:8188,http://gpu-b:8188");

        Assert.Equal([0, 1], settings.Instances.Select(i => i.Index).ToArray());
        Assert.Equal(2, settings.TotalCapacity);
    }

    [Theory]
    [InlineData("http://gpu-a:8188")]
    [InlineData("http://gpu-a:8188/")]
    [InlineData("http://gpu-a:8188//")]
    public void Trailing_slashes_do_not_matter(string url) =>
        Assert.Equal(new Uri("http://gpu-a:8188/"), Assert.Single(ComfyUiInstance.ParseUrls(url)));

    [Fact]
    public void Empty_entries_in_the_list_are_skipped() =>
        Assert.Equal(2, ComfyUiInstance.ParseUrls("http://a:1,,http://b:2,").Count);

    [Theory]
    [InlineData("http://gpu-a:8188,http://gpu-a:8188")]
    [InlineData("http://gpu-a:8188,http://gpu-a:8188/")]
    [InlineData("http://GPU-A:8188,http://gpu-a:8188")]
    public void A_url_listed_twice_is_refused(string text) =>
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => ComfyUiInstance.ParseUrls(text)).Message);

    [Theory]
    [InlineData("http://user:secret@gpu-a:8188")]
    [InlineData("http://gpu-b:8188,https://token@gpu-a:8188")]
    public void A_url_with_a_user_name_or_password_is_refused(string text)
    {
        var refused = Assert.Throws<ArgumentException>(() => ComfyUiInstance.ParseUrls(text));

        Assert.Contains("user name or password", refused.Message);
        Assert.DoesNotContain("secret", refused.Message);
    }

    [Theory]
    [InlineData("ftp://gpu-a:8188")]
    [InlineData("ws://gpu-a:8188")]
    [InlineData("gpu-a:8188")]
    [InlineData("localhost:8188")]
    [InlineData("/comfy")]
    [InlineData("http://gpu-a:8188?token=1")]
    [InlineData("http://gpu-a:8188/#x")]
    public void A_url_that_is_not_an_http_base_url_is_refused(string text) =>
        Assert.Contains("COMFYUI_URL", Assert.Throws<ArgumentException>(() => ComfyUiInstance.ParseUrls(text)).Message);

    [Theory]
    [InlineData("")]
    [InlineData(" , ,")]
    public void A_url_list_naming_no_url_is_refused(string text) =>
        Assert.Contains("names no URL", Assert.Throws<ArgumentException>(() => ComfyUiInstance.ParseUrls(text)).Message);

    // capacity

    [Fact]
    public void Instances_sets_the_capacity_of_every_instance() =>
        Assert.Equal([2, 2], Settings("http://a:1,http://b:2", "videoakka.comfyui.instances = 2").Instances.Select(i => i.Capacity).ToArray());

    [Fact]
    public void A_capacity_by_url_overrides_instances_for_that_url_only()
    {
        var settings = Settings("http://a:1,http://b:2", """videoakka.comfyui.capacity { "http://a:1" = 3 }""");

        Assert.Equal([3, 1], settings.Instances.Select(i => i.Capacity).ToArray());
        Assert.Equal(4, settings.TotalCapacity);
    }

    [Fact]
    public void A_capacity_by_url_may_be_written_with_a_trailing_slash() =>
        Assert.Equal(3, Assert.Single(Settings("http://a:1", """videoakka.comfyui.capacity { "http://a:1/" = 3 }""").Instances).Capacity);

    [Fact]
    public void A_capacity_by_url_matches_the_url_however_comfyui_url_spells_its_trailing_slash() =>
        Assert.Equal(3, Assert.Single(Settings("http://a:1/", """videoakka.comfyui.capacity { "http://a:1" = 3 }""").Instances).Capacity);

    [Fact]
    public void A_capacity_by_url_below_1_is_refused_naming_it()
    {
        var refused = Assert.Throws<ArgumentException>(() => Settings("http://a:1", """videoakka.comfyui.capacity { "http://a:1" = 0 }"""));

        Assert.Contains("videoakka.comfyui.capacity", refused.Message);
        Assert.Contains("http://a:1", refused.Message);
    }

    [Fact]
    public void Instances_below_1_are_refused_naming_the_key() =>
        Assert.Contains("videoakka.comfyui.instances", Assert.Throws<ArgumentException>(() => Settings(hocon: "videoakka.comfyui.instances = 0")).Message);

    [Fact]
    public void A_capacity_for_a_url_comfyui_url_does_not_list_is_refused_naming_it()
    {
        var refused = Assert.Throws<ArgumentException>(() => Settings("http://a:1", """videoakka.comfyui.capacity { "http://typo:1" = 2 }"""));

        Assert.Contains("videoakka.comfyui.capacity.\"http://typo:1\" names no instance of COMFYUI_URL", refused.Message);
    }
}
