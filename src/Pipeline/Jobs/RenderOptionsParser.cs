using System.Text.Json;
using System.Text.RegularExpressions;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>Reads options.fit, options.clip_fill, options.transition and options.music. Each is hostile: music names a
/// file the worker opens or a URL it fetches.</summary>
public static partial class RenderOptionsParser
{
    public const double MinTransitionSeconds = 0.1;
    public const double MaxTransitionSeconds = 3;
    public const double DefaultTransitionSeconds = 0.5;

    /// <summary>A plain audio file name: no directory, no leading dot, nothing to escape the folder.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.(mp3|wav|m4a|aac|ogg|opus|flac)\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex MusicFilePattern();

    /// <summary>A music library name: a plain word, the file's name without its extension.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex MusicNamePattern();

    public static bool IsMusicName(string text) => MusicNamePattern().IsMatch(text);

    /// <param name="musicNameExists">Checks a library name at submit; null: checked when the job renders.</param>
    public static RenderOptions Read(JsonElement options, bool allowPrivateUrls, Func<string, bool>? musicNameExists, List<ValidationError> errors)
    {
        var fit = ReadWord(options, "fit", errors, FitMode.Cover, ("cover", FitMode.Cover), ("contain", FitMode.Contain));
        var fill = ReadWord(options, "clip_fill", errors, ClipFill.Hold, ("hold", ClipFill.Hold), ("loop", ClipFill.Loop));
        return new RenderOptions(fit, fill, ReadTransition(options, errors), ReadMusic(options, allowPrivateUrls, musicNameExists, errors));
    }

    private static T ReadWord<T>(JsonElement options, string name, List<ValidationError> errors, T fallback, params (string Word, T Value)[] choices)
    {
        if (!options.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }
        foreach (var (word, choice) in choices)
        {
            if (value.ValueKind == JsonValueKind.String && value.GetString() == word)
            {
                return choice;
            }
        }
        errors.Add(new($"options.{name}", $"must be one of {string.Join(", ", choices.Select(c => $"\"{c.Word}\""))}"));
        return fallback;
    }

    /// <summary>"none", "fade", or {"type": "fade", "duration": seconds}.</summary>
    private static SceneTransition? ReadTransition(JsonElement options, List<ValidationError> errors)
    {
        const string path = "options.transition";
        if (!options.TryGetProperty("transition", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var shape = $"must be \"none\", \"fade\" or {{\"type\": \"fade\", \"duration\": {MinTransitionSeconds} to {MaxTransitionSeconds}}}";
        switch (value.ValueKind)
        {
            case JsonValueKind.String when value.GetString() == "none":
                return null;
            case JsonValueKind.String when value.GetString() == "fade":
                return new SceneTransition(DefaultTransitionSeconds);
            case JsonValueKind.Object:
                var type = value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (type == "none")
                {
                    return null;
                }
                if (type != "fade")
                {
                    errors.Add(new($"{path}.type", "must be \"none\" or \"fade\""));
                    return null;
                }
                if (!value.TryGetProperty("duration", out var d) || d.ValueKind == JsonValueKind.Null)
                {
                    return new SceneTransition(DefaultTransitionSeconds);
                }
                if (d.ValueKind == JsonValueKind.Number && d.TryGetDouble(out var seconds) && seconds is >= MinTransitionSeconds and <= MaxTransitionSeconds)
                {
                    return new SceneTransition(seconds);
                }
                errors.Add(new($"{path}.duration", $"must be a number of seconds from {MinTransitionSeconds} to {MaxTransitionSeconds}"));
                return null;
            default:
                errors.Add(new(path, shape));
                return null;
        }
    }

    /// <summary>One string: an http(s) URL; else a file in the run's folder when it ends in an audio extension; else a
    /// name from the music folder.</summary>
    private static MusicChoice? ReadMusic(JsonElement options, bool allowPrivateUrls, Func<string, bool>? musicNameExists, List<ValidationError> errors)
    {
        const string path = "options.music";
        if (!options.TryGetProperty("music", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length is 0 or > SceneInputs.MaxUrlLength)
        {
            errors.Add(new(path, "must be a file name in the run's folder, an http(s) URL, or a name from the music folder"));
            return null;
        }
        var text = value.GetString()!;
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || text.Contains("://", StringComparison.Ordinal))
        {
            var url = SceneInputs.CheckUrl(text, path, allowPrivateUrls, errors);
            return url is null ? null : new MusicChoice(MusicSourceKind.Url, url.AbsoluteUri);
        }
        if (MusicFilePattern().IsMatch(text))
        {
            if (JobFolder.IsWorkerOutput(text))
            {
                errors.Add(new(path, "names a file the worker writes in the run's folder (voiceover.mp3): give the music another name"));
                return null;
            }
            return new MusicChoice(MusicSourceKind.File, text);
        }
        if (!IsMusicName(text))
        {
            errors.Add(new(path, "must be a plain file name in the run's folder (letters, digits, '.', '_', '-'; .mp3, .wav, .m4a, .aac, .ogg, .opus or .flac), no path; an http(s) URL; or a music folder name"));
            return null;
        }
        if (musicNameExists is not null && !musicNameExists(text))
        {
            errors.Add(new(path, "names no file in the music folder (videoakka.inputs.music.folder)"));
            return null;
        }
        return new MusicChoice(MusicSourceKind.Library, text);
    }
}
