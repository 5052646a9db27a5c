using Akka.Configuration;
using VideoAkka.Pipeline.Generation.ComfyUi;
using VideoAkka.Pipeline.Graph;

namespace VideoAkka.Tests.Voices;

/// <summary>videoakka.comfyui.speech: the speech workflows a request may name, loaded and checked at startup like the
/// scene templates.</summary>
public sealed class ComfyUiSpeechSettingsSpecs
{
    /// <summary>The folder of config/akka.hocon in the test output: the shipped workflows are copied under it.</summary>
    private static readonly string ConfigFolder = Path.Combine(AppContext.BaseDirectory, "config");

    private static ComfyUiSettings Settings(string hocon = "") =>
        ComfyUiSettings.Create(
            ConfigurationFactory.ParseString(hocon).WithFallback(PipelineSettings.DefaultConfig()).GetConfig("videoakka"),
            "http://127.0.0.1:8188",
            ConfigFolder);

    [Fact]
    public void The_shipped_kokoro_workflow_binds_the_sentence_and_the_rate_to_its_speech_node()
    {
        var kokoro = Settings().Speech["kokoro"];

        Assert.Equal("speech/kokoro", kokoro.Name);
        Assert.Equal(("2", "text"), Assert.Single(kokoro.Targets[WorkflowInput.Text]));
        Assert.Equal(("2", "speed"), Assert.Single(kokoro.Targets[WorkflowInput.Speed]));
        Assert.Equal(("3", "filename_prefix"), Assert.Single(kokoro.Targets[WorkflowInput.FilenamePrefix]));
        var graph = kokoro.Apply(new Dictionary<WorkflowInput, object> { [WorkflowInput.Text] = "Hello there.", [WorkflowInput.Speed] = 1.5 });
        Assert.Equal("Hello there.", graph["2"]!["inputs"]!["text"]!.GetValue<string>());
        Assert.Equal(1.5, graph["2"]!["inputs"]!["speed"]!.GetValue<double>());
    }

    [Fact]
    public void The_workflows_names_become_the_comfyui_engines_voices_and_an_empty_template_turns_one_off()
    {
        var settings = Settings("""
            videoakka.comfyui.speech.narrator { template = "workflows/tts-kokoro.json", inputs.text = "Speech.text" }
            videoakka.comfyui.speech.kokoro.template = ""
            """);

        Assert.Equal(["narrator"], settings.Speech.Keys);
        var voices = PipelineSettings.Create(ConfigurationFactory.Empty, comfyUiSpeech: settings.Speech.Keys.ToHashSet()).Speech.Voices;
        Assert.Equal(["comfyui", "espeak"], voices.Engines.Order(StringComparer.Ordinal));
        Assert.Equal(["narrator"], voices.ComfyUiWorkflows);
    }

    [Fact]
    public void Without_a_speech_workflow_the_comfyui_engine_is_off() =>
        Assert.DoesNotContain("comfyui", PipelineSettings.Create(ConfigurationFactory.Empty, comfyUiSpeech: new HashSet<string>()).Speech.EngineNames);

    [Fact]
    public void A_speech_workflow_without_a_text_binding_stops_the_start_naming_its_key()
    {
        var refused = Assert.Throws<ArgumentException>(() => Settings("""videoakka.comfyui.speech.kokoro.inputs.text = "" """));
        Assert.Contains("videoakka.comfyui.speech.kokoro.inputs.text must be set", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binding_to_an_input_the_speech_node_lacks_stops_the_start_naming_the_node_and_its_inputs()
    {
        var refused = Assert.Throws<ArgumentException>(() => Settings("""videoakka.comfyui.speech.kokoro.inputs.speed = "Speech.rate" """));
        Assert.Contains("videoakka.comfyui.speech.kokoro.inputs.speed = \"Speech.rate\"", refused.Message, StringComparison.Ordinal);
        Assert.Contains("node 2 (KokoroGenerator) has no input \"rate\"", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workflow_name_a_request_could_not_send_stops_the_start()
    {
        var refused = Assert.Throws<ArgumentException>(() => Settings("""videoakka.comfyui.speech."my voice" { template = "workflows/tts-kokoro.json", inputs.text = "Speech.text" }"""));
        Assert.Contains("videoakka.comfyui.speech.\"my voice\"", refused.Message, StringComparison.Ordinal);
    }
}
