using Akka.Configuration;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>videoakka.tts.openai: an OpenAI-compatible POST {Url}/audio/speech. The key is never printed: this
/// record's text form leaves it out, so logging the settings cannot leak it.</summary>
public sealed record OpenAiSpeechSettings(Uri Url, string Model, string Voice, string ResponseFormat, TimeSpan Timeout, int Retries,
    TimeSpan FirstBackoff, string? ApiKey)
{
    public const string EngineName = VoiceChoice.OpenAi;

    public Uri SpeechUrl => new(Url.AbsoluteUri.TrimEnd('/') + "/audio/speech");

    public override string ToString() =>
        $"OpenAiSpeechSettings {{ Url = {Url}, Model = {Model}, Voice = {Voice}, ResponseFormat = {ResponseFormat}, Key = {(ApiKey is null ? "none" : "set")} }}";

    /// <returns>null when no url is set: the engine is off.</returns>
    public static OpenAiSpeechSettings? Create(Config openai, string? apiKey)
    {
        var url = openai.GetString("url");
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0)
        {
            // Not echoed: a URL written with a key in it must not reach the log that reports the refusal.
            throw SpeechSettings.Invalid("tts.openai.url", "must be an http(s) base URL such as https://api.openai.com/v1, with no credentials or query (the key goes in VIDEOAKKA_TTS_API_KEY)");
        }
        var format = openai.GetString("response-format");
        // Not "pcm": raw samples carry no header to say their rate, and ffmpeg would have to guess it.
        if (format is not ("wav" or "mp3" or "flac" or "opus" or "aac"))
        {
            throw SpeechSettings.Invalid("tts.openai.response-format", "must be wav, mp3, flac, opus or aac");
        }
        var model = Word(openai, "model");
        var voice = Word(openai, "voice");
        var timeout = openai.GetTimeSpan("timeout");
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromHours(1))
        {
            throw SpeechSettings.Invalid("tts.openai.timeout", "must be a positive duration of at most 1h");
        }
        var retries = openai.GetInt("retries");
        if (retries is < 0 or > 20)
        {
            throw SpeechSettings.Invalid("tts.openai.retries", "must be from 0 to 20");
        }
        var backoff = openai.GetTimeSpan("first-backoff");
        if (backoff <= TimeSpan.Zero || backoff > TimeSpan.FromMinutes(1))
        {
            throw SpeechSettings.Invalid("tts.openai.first-backoff", "must be a positive duration of at most 1m");
        }
        return new OpenAiSpeechSettings(uri, model, voice, format, timeout, retries, backoff, string.IsNullOrEmpty(apiKey) ? null : apiKey);
    }

    private static string Word(Config config, string path)
    {
        var value = config.GetString(path);
        return !string.IsNullOrWhiteSpace(value) && value.Length <= 128 && !value.Any(char.IsControl)
            ? value
            : throw SpeechSettings.Invalid($"tts.openai.{path}", "must be a non-empty name");
    }
}
