using System.Collections.Frozen;
using System.Text.Json;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Tests.Voices;

/// <summary>options.voice: a plain string is still an espeak-ng voice; an object names a configured engine.</summary>
public sealed class VoiceOptionSpecs
{
    private static readonly IReadOnlySet<string> WithOpenAi = new[] { "espeak", "openai" }.ToFrozenSet();

    private static JobRequestParseResult Parse(string voice, IReadOnlySet<string>? engines = null)
    {
        using var document = JsonDocument.Parse("""{"script": "Hi there.", "prompts": ["a cat"], "options": {"voice": """ + voice + "}}");
        return JobRequestParser.Parse(document.RootElement, "run", voices: engines is null ? null : VoiceCatalog.OfEngines(engines));
    }

    [Fact]
    public void A_plain_string_is_an_espeak_ng_voice() =>
        Assert.Equal(new VoiceChoice("espeak", "en-us"), Parse("\"en-us\"").Request!.Options.Voice);

    [Fact]
    public void An_object_names_a_configured_engine_its_voice_and_rate() =>
        Assert.Equal(new VoiceChoice("openai", "af_bella+af_sky", 1.5),
            Parse("""{"engine": "openai", "name": "af_bella+af_sky", "rate": 1.5}""", WithOpenAi).Request!.Options.Voice);

    [Fact]
    public void An_object_without_an_engine_is_espeak_ng() =>
        Assert.Equal(new VoiceChoice("espeak", "de", null), Parse("""{"name": "de"}""").Request!.Options.Voice);

    [Fact]
    public void An_engine_that_is_not_configured_is_refused_naming_options_voice_engine()
    {
        var error = Assert.Single(Parse("""{"engine": "openai"}""").Errors);
        Assert.Equal("options.voice.engine", error.Field);
        Assert.Contains("espeak", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"engine": "espeak", "name": "-en"}""", "options.voice.name")]
    [InlineData("""{"engine": "openai", "name": "nova; rm -rf /"}""", "options.voice.name")]
    [InlineData("""{"engine": "openai", "rate": 3}""", "options.voice.rate")]
    [InlineData("""{"engine": "openai", "rate": "fast"}""", "options.voice.rate")]
    [InlineData("""{"engine": 7}""", "options.voice.engine")]
    [InlineData("42", "options.voice")]
    public void A_bad_voice_part_is_refused_naming_the_part(string voice, string field) =>
        Assert.Equal(field, Assert.Single(Parse(voice, WithOpenAi).Errors).Field);

    private static readonly VoiceCatalog WithComfyUi = VoiceCatalog.Of(openAi: false, ["kokoro", "f5-narrator"]);

    private static JobRequestParseResult ParseWith(string voice, VoiceCatalog voices)
    {
        using var document = JsonDocument.Parse("""{"script": "Hi there.", "prompts": ["a cat"], "options": {"voice": """ + voice + "}}");
        return JobRequestParser.Parse(document.RootElement, "run", voices: voices);
    }

    [Fact]
    public void A_comfyui_voice_names_one_of_the_speech_workflows_and_keeps_its_rate() =>
        Assert.Equal(new VoiceChoice("comfyui", "f5-narrator", 0.8),
            ParseWith("""{"engine": "comfyui", "name": "f5-narrator", "rate": 0.8}""", WithComfyUi).Request!.Options.Voice);

    [Theory]
    [InlineData("""{"engine": "comfyui", "name": "bark"}""")]
    [InlineData("""{"engine": "comfyui"}""")]
    [InlineData("""{"engine": "comfyui", "name": "../workflows/image"}""")]
    public void A_comfyui_voice_without_a_configured_workflow_is_refused_listing_the_workflows(string voice)
    {
        var error = Assert.Single(ParseWith(voice, WithComfyUi).Errors);
        Assert.Equal("options.voice.name", error.Field);
        if (!voice.Contains("..", StringComparison.Ordinal))
        {
            Assert.EndsWith("ComfyUI speech workflows: f5-narrator, kokoro", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_comfyui_engine_without_a_ComfyUI_backend_is_refused_saying_what_it_needs()
    {
        var error = Assert.Single(ParseWith("""{"engine": "comfyui", "name": "kokoro"}""", VoiceCatalog.Of(openAi: true, [])).Errors);
        Assert.Equal("options.voice.engine", error.Field);
        Assert.Contains("COMFYUI_URL", error.Message, StringComparison.Ordinal);
    }
}
