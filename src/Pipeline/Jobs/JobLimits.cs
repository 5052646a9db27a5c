using System.Text.RegularExpressions;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>The bounds a request must stay within. They protect the worker and the file system, so they are not tunable.</summary>
public static partial class JobLimits
{
    public const int MaxPrompts = 100;
    public const int MaxPromptLength = 4000;
    /// <summary>About 20 minutes of speech: each sentence is spoken on its own, so the length bounds the tts stage.</summary>
    public const int MaxScriptLength = 20_000;
    /// <summary>A few frames at least: shorter scenes round to nothing in ffmpeg's time arithmetic.</summary>
    public const double MinSceneSeconds = 0.25;
    public const double MaxSceneSeconds = 60;
    public const double DefaultSceneSeconds = 4;
    public const int MinFps = 1;
    public const int MaxFps = 60;

    /// <summary>A run id becomes a folder name (\z, not $: $ also matches before a final newline): letters, digits, '.', '_' and '-', starting with a letter or digit,
    /// so it can never be "..", absolute, or contain a separator.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    public static partial Regex RunIdPattern();

    /// <summary>An espeak-ng voice name such as "en", "en-us" or "en+f3".</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_+-]{0,39}\z", RegexOptions.CultureInvariant)]
    public static partial Regex VoicePattern();

    public const string ControlCharactersMessage = "must not contain control characters (NUL and the like; tab and line breaks are fine)";

    /// <summary>Text is spoken by espeak-ng, burnt in by libass and put into prompts: a NUL cuts a C string short there,
    /// and the other C0 controls (and DEL) are never meant. Tab and line breaks are ordinary in a script.</summary>
    public static bool HasControlCharacters(string text)
    {
        foreach (var c in text)
        {
            if ((c < ' ' && c is not ('\t' or '\n' or '\r')) || c == '\u007f')
            {
                return true;
            }
        }
        return false;
    }

    public static bool IsValidRunId(string? runId) => runId is not null && RunIdPattern().IsMatch(runId);
}
