using System.Collections.Immutable;
using System.Text.Json;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// Turns a request body into a <see cref="JobRequest"/> or the list of everything wrong with it.
/// Every field is checked by hand rather than by a deserializer, because the body is hostile and each refusal
/// must name the field and the reason in the problem response.
/// </summary>
public static class JobRequestParser
{
    /// <param name="allowPrivateImageUrls">Accept image_url hosts that are loopback or private addresses
    /// (videoakka.inputs.image-url.allow-private-networks); the fetch checks the address it connects to again.</param>
    /// <param name="voices">The text-to-speech engines configured (videoakka.tts) and ComfyUI's speech workflows; null:
    /// espeak-ng alone.</param>
    /// <param name="musicNameExists">Whether options.music names a file in the music folder; null: checked at render.</param>
    public static JobRequestParseResult Parse(JsonElement root, string defaultRunId, bool allowPrivateImageUrls = false,
        VoiceCatalog? voices = null, Func<string, bool>? musicNameExists = null)
    {
        var errors = new List<ValidationError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return JobRequestParseResult.Invalid([new ValidationError("$", "the body must be a JSON object")]);
        }
        if (JsonStrings.FindInvalid(root, "$") is { } where)
        {
            // JSON allows a lone surrogate escape ("\ud800") that no .NET string can hold: the payload is stored and
            // re-serialized, so such a string anywhere in it, even in a field we do not read, is refused here.
            return JobRequestParseResult.Invalid([new ValidationError(where, "contains a string that is not valid Unicode")]);
        }

        var script = ReadScript(root, errors);
        var caption = ReadOptionalString(root, "caption", JobLimits.MaxPromptLength, errors);
        var prompts = ReadPrompts(root, allowPrivateImageUrls, errors);
        var runId = ReadRunId(root, defaultRunId, errors);
        var options = ReadOptions(root, voices ?? VoiceCatalog.EspeakOnly, allowPrivateImageUrls, musicNameExists, errors);
        RequireMotionPrompts(prompts, options, errors);

        return errors.Count > 0
            ? JobRequestParseResult.Invalid([.. errors])
            : JobRequestParseResult.Valid(new JobRequest(script!, caption, prompts, runId!, options));
    }

    /// <summary>A scene that brings its image but has no prompt at all would send an empty prompt to image-to-video.</summary>
    private static void RequireMotionPrompts(ImmutableArray<ScenePrompt> prompts, JobOptions options, List<ValidationError> errors)
    {
        for (var i = 0; i < prompts.Length; i++)
        {
            var scene = prompts[i];
            if (scene.Image.Length == 0 && scene.Video is null && scene.ClipFile is null && (scene.Motion ?? options.Motion) == SceneMotion.Model)
            {
                errors.Add(new($"prompts[{i}].video", "is required when the scene gives its image and its clip is made by the model (or set motion to \"kenburns\")"));
            }
        }
    }

    private static string? ReadScript(JsonElement root, List<ValidationError> errors)
    {
        if (!root.TryGetProperty("script", out var script) || script.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new("script", "is required"));
            return null;
        }
        if (script.ValueKind != JsonValueKind.String)
        {
            errors.Add(new("script", "must be a string"));
            return null;
        }
        var text = script.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new("script", "must not be empty"));
            return null;
        }
        if (text.Length > JobLimits.MaxScriptLength)
        {
            errors.Add(new("script", $"must be at most {JobLimits.MaxScriptLength} characters"));
            return null;
        }
        if (JobLimits.HasControlCharacters(text))
        {
            errors.Add(new("script", JobLimits.ControlCharactersMessage));
            return null;
        }
        if (!text.Any(char.IsLetterOrDigit))
        {
            // Nothing to speak and nothing to subtitle: refused here rather than failed in the worker.
            errors.Add(new("script", "must contain words"));
            return null;
        }
        return text;
    }

    private static string? ReadOptionalString(JsonElement parent, string name, int maxLength, List<ValidationError> errors, string? path = null)
    {
        path ??= name;
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(path, "must be a string"));
            return null;
        }
        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            errors.Add(new(path, $"must be at most {maxLength} characters"));
            return null;
        }
        if (JobLimits.HasControlCharacters(text))
        {
            errors.Add(new(path, JobLimits.ControlCharactersMessage));
            return null;
        }
        return text;
    }

    private static ImmutableArray<ScenePrompt> ReadPrompts(JsonElement root, bool allowPrivateImageUrls, List<ValidationError> errors)
    {
        if (!root.TryGetProperty("prompts", out var prompts) || prompts.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new("prompts", "is required"));
            return [];
        }
        if (prompts.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new("prompts", "must be a list of scene prompts"));
            return [];
        }
        var count = prompts.GetArrayLength();
        if (count == 0)
        {
            errors.Add(new("prompts", "must not be empty"));
            return [];
        }
        if (count > JobLimits.MaxPrompts)
        {
            errors.Add(new("prompts", $"must hold at most {JobLimits.MaxPrompts} scenes, got {count}"));
            return [];
        }

        var scenes = ImmutableArray.CreateBuilder<ScenePrompt>(count);
        var index = 0;
        foreach (var item in prompts.EnumerateArray())
        {
            var scene = ReadScene(item, $"prompts[{index}]", allowPrivateImageUrls, errors);
            if (scene is not null)
            {
                scenes.Add(scene);
            }
            index++;
        }
        return scenes.Count == count ? scenes.MoveToImmutable() : [];
    }

    private static ScenePrompt? ReadScene(JsonElement item, string path, bool allowPrivateImageUrls, List<ValidationError> errors)
    {
        switch (item.ValueKind)
        {
            case JsonValueKind.String:
                var image = CheckPromptText(item.GetString()!, path, errors);
                return image is null ? null : new ScenePrompt(image);
            case JsonValueKind.Object:
                var errorsBefore = errors.Count;
                var imageUrl = SceneInputs.ReadImageUrl(item, $"{path}.image_url", allowPrivateImageUrls, errors);
                var imageFile = SceneInputs.ReadImageFile(item, $"{path}.image_file", errors);
                if (imageUrl is not null && imageFile is not null)
                {
                    errors.Add(new(path, "may give image_url or image_file, not both"));
                }
                var clipFile = SceneInputs.ReadClipFile(item, $"{path}.clip_file", errors);
                if (clipFile is not null && (imageUrl is not null || imageFile is not null || HasValue(item, "motion") || HasValue(item, "video")))
                {
                    // The given clip is the scene: an image or a motion for a clip that is not generated would be ignored.
                    errors.Add(new(path, "may give clip_file or image_url/image_file/motion/video, not both"));
                }
                var bringsImage = imageUrl is not null || imageFile is not null || clipFile is not null;
                var imageSourceRefused = errors.Count > errorsBefore; // a bad image_url, image_file or clip_file is its own error
                string? imagePrompt = null;
                if (!item.TryGetProperty("image", out var imageValue) || imageValue.ValueKind == JsonValueKind.Null)
                {
                    if (!bringsImage && !imageSourceRefused)
                    {
                        errors.Add(new($"{path}.image", "is required (unless the scene gives image_url or image_file, or clip_file) and must be a string"));
                    }
                }
                else if (imageValue.ValueKind != JsonValueKind.String)
                {
                    errors.Add(new($"{path}.image", "is required and must be a string"));
                }
                else
                {
                    imagePrompt = bringsImage && string.IsNullOrWhiteSpace(imageValue.GetString())
                        ? ""
                        : CheckPromptText(imageValue.GetString()!, $"{path}.image", errors);
                }
                var video = ReadOptionalString(item, "video", JobLimits.MaxPromptLength, errors, $"{path}.video");
                var duration = ReadDuration(item, $"{path}.duration", errors);
                var motion = SceneInputs.ReadMotion(item, $"{path}.motion", errors);
                var seed = SceneInputs.ReadSeed(item, $"{path}.seed", errors);
                var text = ReadOptionalString(item, "text", JobLimits.MaxScriptLength, errors, $"{path}.text");
                return errors.Count == errorsBefore
                    ? new ScenePrompt(imagePrompt ?? "", string.IsNullOrWhiteSpace(video) ? null : video, duration, imageUrl, imageFile, motion, seed, string.IsNullOrWhiteSpace(text) ? null : text, clipFile)
                    : null;
            default:
                errors.Add(new(path, "must be a string or an object {\"image\", \"video\", \"duration\", \"image_url\", \"image_file\", \"motion\", \"seed\", \"text\", \"clip_file\"}"));
                return null;
        }
    }

    private static bool HasValue(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static string? CheckPromptText(string text, string path, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new(path, "must not be empty"));
            return null;
        }
        if (text.Length > JobLimits.MaxPromptLength)
        {
            errors.Add(new(path, $"must be at most {JobLimits.MaxPromptLength} characters, got {text.Length}"));
            return null;
        }
        if (JobLimits.HasControlCharacters(text))
        {
            errors.Add(new(path, JobLimits.ControlCharactersMessage));
            return null;
        }
        return text;
    }

    private static double? ReadDuration(JsonElement item, string path, List<ValidationError> errors)
    {
        if (!item.TryGetProperty("duration", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || !double.IsFinite(seconds))
        {
            errors.Add(new(path, "must be a number of seconds"));
            return null;
        }
        if (seconds is < JobLimits.MinSceneSeconds or > JobLimits.MaxSceneSeconds)
        {
            errors.Add(new(path, $"must be from {JobLimits.MinSceneSeconds} to {JobLimits.MaxSceneSeconds} seconds"));
            return null;
        }
        return seconds;
    }

    private static string? ReadRunId(JsonElement root, string defaultRunId, List<ValidationError> errors)
    {
        if (!root.TryGetProperty("run_id", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return defaultRunId;
        }
        if (value.ValueKind != JsonValueKind.String || !JobLimits.IsValidRunId(value.GetString()))
        {
            errors.Add(new("run_id", "must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ (it names the job's folder)"));
            return null;
        }
        return value.GetString();
    }

    private static JobOptions ReadOptions(JsonElement root, VoiceCatalog voices, bool allowPrivateUrls, Func<string, bool>? musicNameExists,
        List<ValidationError> errors)
    {
        if (!root.TryGetProperty("options", out var options) || options.ValueKind == JsonValueKind.Null)
        {
            return JobOptions.Default;
        }
        if (options.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("options", "must be an object"));
            return JobOptions.Default;
        }

        var aspect = AspectRatio.Portrait;
        if (options.TryGetProperty("aspect", out var aspectValue) && aspectValue.ValueKind != JsonValueKind.Null
            && (aspectValue.ValueKind != JsonValueKind.String || !AspectRatioNames.TryParse(aspectValue.GetString(), out aspect)))
        {
            errors.Add(new("options.aspect", "must be one of \"9:16\", \"16:9\", \"1:1\""));
        }

        int? fps = null;
        if (options.TryGetProperty("fps", out var fpsValue) && fpsValue.ValueKind != JsonValueKind.Null)
        {
            if (fpsValue.ValueKind == JsonValueKind.Number && fpsValue.TryGetInt32(out var f) && f is >= JobLimits.MinFps and <= JobLimits.MaxFps)
            {
                fps = f;
            }
            else
            {
                errors.Add(new("options.fps", $"must be a whole number from {JobLimits.MinFps} to {JobLimits.MaxFps}"));
            }
        }

        var voice = VoiceOptionReader.Read(options, voices, errors);

        var voiceover = true;
        if (options.TryGetProperty("voiceover", out var voiceoverValue) && voiceoverValue.ValueKind != JsonValueKind.Null)
        {
            if (voiceoverValue.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                voiceover = voiceoverValue.GetBoolean();
            }
            else
            {
                errors.Add(new("options.voiceover", "must be true or false"));
            }
        }

        var seed = SceneInputs.ReadSeed(options, "options.seed", errors);
        var motion = SceneInputs.ReadMotion(options, "options.motion", errors) ?? SceneMotion.Model;
        var subtitles = SubtitleOptionsParser.Read(options, errors);
        return new JobOptions(aspect, fps, voice, voiceover, seed, motion, subtitles)
        {
            Render = RenderOptionsParser.Read(options, allowPrivateUrls, musicNameExists, errors),
        };
    }
}

/// <summary>Either a valid request or the reasons it was refused.</summary>
public sealed record JobRequestParseResult(JobRequest? Request, ImmutableArray<ValidationError> Errors)
{
    public bool IsValid => Request is not null;

    public static JobRequestParseResult Valid(JobRequest request) => new(request, []);

    public static JobRequestParseResult Invalid(ImmutableArray<ValidationError> errors) => new(null, errors);
}
