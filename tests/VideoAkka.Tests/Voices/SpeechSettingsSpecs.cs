using Akka.Configuration;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Media.Speech;

namespace VideoAkka.Tests.Voices;

/// <summary>videoakka.tts is read and checked at startup: a bad value stops the start naming its key.</summary>
public sealed class SpeechSettingsSpecs
{
    private const string Key = "sk-settings-key-0b7a";

    private static SpeechSettings Load(string hocon, string? key = null) =>
        PipelineSettings.Create(ConfigurationFactory.ParseString(hocon), speechApiKey: key).Speech;

    [Fact]
    public void By_default_espeak_ng_alone_is_configured_with_four_pieces_at_once()
    {
        var speech = Load("");
        Assert.Equal(["espeak"], speech.EngineNames);
        Assert.Null(speech.OpenAi);
        Assert.Equal(4, speech.ParallelPieces);
    }

    [Fact]
    public void An_openai_url_turns_the_engine_on_with_its_model_voice_and_the_key_from_the_environment()
    {
        var speech = Load("""videoakka.tts.openai { url = "http://127.0.0.1:8880/v1", model = "kokoro", voice = "af_bella" }""", Key);

        Assert.Equal(["espeak", "openai"], speech.EngineNames.Order(StringComparer.Ordinal));
        Assert.Equal(new Uri("http://127.0.0.1:8880/v1/audio/speech"), speech.OpenAi!.SpeechUrl);
        Assert.Equal(("kokoro", "af_bella", Key), (speech.OpenAi.Model, speech.OpenAi.Voice, speech.OpenAi.ApiKey));
    }

    [Fact]
    public void The_engine_settings_printed_do_not_show_the_key()
    {
        var speech = Load("""videoakka.tts.openai.url = "https://api.example.com/v1" """, Key);

        Assert.DoesNotContain(Key, speech.OpenAi!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, speech.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("videoakka.tts.parallel-pieces = 0", "tts.parallel-pieces")]
    [InlineData("""videoakka.tts.openai.url = "https://user:secret@api.example.com/v1" """, "tts.openai.url")]
    [InlineData("""videoakka.tts.openai.url = "https://api.example.com/v1?key=secret" """, "tts.openai.url")]
    [InlineData("""videoakka.tts.openai.url = "ftp://api.example.com/v1" """, "tts.openai.url")]
    [InlineData("""videoakka.tts.openai { url = "http://127.0.0.1/v1", response-format = "pcm" }""", "tts.openai.response-format")]
    [InlineData("""videoakka.tts.openai { url = "http://127.0.0.1/v1", retries = -1 }""", "tts.openai.retries")]
    [InlineData("videoakka.tts.checks.silence-db = 3", "tts.checks.silence-db")]
    public void A_bad_value_stops_the_start_naming_its_key_and_never_echoing_a_secret(string hocon, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => Load(hocon));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
