using System.Collections.Immutable;
using Akka.Configuration;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// The ComfyUI backend's settings (videoakka.comfyui, with COMFYUI_URL), read and checked once at startup: the
/// instances and their capacities, the fault and time limits, the two bound scene workflow templates, and the speech
/// workflows that options.voice {"engine": "comfyui", "name": NAME} picks by name.
/// </summary>
/// <param name="Retries">How many times a prompt is tried again after the instance it ran on could not be reached.</param>
/// <param name="MaxOutputBytes">A larger output file fails the job (a download is never unbounded).</param>
public sealed record ComfyUiSettings(
    ImmutableArray<ComfyUiInstance> Instances,
    TimeSpan PromptTimeout,
    int Retries,
    TimeSpan FirstBackoff,
    TimeSpan RequestTimeout,
    TimeSpan HealthInterval,
    long MaxOutputBytes,
    ComfyUiWorkflow Image,
    ComfyUiWorkflow ImageToVideo)
{
    /// <summary>The speech workflows by the name a request gives (videoakka.comfyui.speech.NAME).</summary>
    public ImmutableDictionary<string, WorkflowTemplate> Speech { get; init; } = ImmutableDictionary<string, WorkflowTemplate>.Empty;

    public int TotalCapacity => Instances.Sum(i => i.Capacity);

    /// <param name="videoakka">The "videoakka" section, defaults included.</param>
    /// <param name="comfyUiUrl">COMFYUI_URL.</param>
    /// <param name="templateFolder">Where relative template paths start: the folder of config/akka.hocon.</param>
    public static ComfyUiSettings Create(Config videoakka, string comfyUiUrl, string templateFolder)
    {
        var root = videoakka.GetConfig("comfyui");
        var capacity = Positive(root, "instances");
        var overrides = root.GetConfig("capacity");
        var urls = ComfyUiInstance.ParseUrls(comfyUiUrl);
        if (overrides is not null && !overrides.IsEmpty)
        {
            // A capacity for an instance COMFYUI_URL does not list is a typo that would otherwise go unnoticed.
            var known = urls.SelectMany(u => new[] { u.ToString(), u.ToString().TrimEnd('/') }).ToHashSet();
            foreach (var key in overrides.Root.GetObject().Items.Keys.Where(k => !known.Contains(k)))
            {
                throw Invalid($"capacity.\"{key}\"", $"names no instance of COMFYUI_URL ({string.Join(", ", urls.Select(u => u.ToString().TrimEnd('/')))})");
            }
        }
        var instances = urls
            .Select((url, i) => new ComfyUiInstance(i, url, CapacityOf(overrides, url, capacity)))
            .ToImmutableArray();
        return new ComfyUiSettings(
            instances,
            Duration(root, "prompt-timeout"),
            NonNegative(root, "retries"),
            Duration(root, "first-backoff"),
            Duration(root, "request-timeout"),
            Duration(root, "health-interval"),
            root.GetByteSize("max-output-bytes") is > 0 and var bytes ? bytes : throw Invalid("max-output-bytes", "must be a positive size such as 2g"),
            Workflow(root, "image", templateFolder, [WorkflowInput.Positive]),
            Workflow(root, "image2video", templateFolder, [WorkflowInput.Image, WorkflowInput.Positive]))
        {
            Speech = SpeechWorkflows(root, templateFolder),
        };
    }

    /// <summary>The scheduler's model-affinity key of a speech workflow: apart from the scene workflows' names.</summary>
    public static string SpeechAffinity(string name) => "speech/" + name;

    private static ImmutableDictionary<string, WorkflowTemplate> SpeechWorkflows(Config root, string templateFolder)
    {
        var speech = root.GetConfig("speech");
        if (speech is null || speech.IsEmpty)
        {
            return ImmutableDictionary<string, WorkflowTemplate>.Empty;
        }
        var workflows = ImmutableDictionary.CreateBuilder<string, WorkflowTemplate>(StringComparer.Ordinal);
        foreach (var name in speech.Root.GetObject().Items.Keys)
        {
            // The name is what a request sends as options.voice.name: the same rule as any engine's voice name.
            if (!Jobs.VoiceOptionReader.IsEngineVoiceName(name))
            {
                throw Invalid($"speech.\"{name}\"", "must be named with letters, digits, '_', '.', '+' or '-' (at most 64): requests pick it by that name");
            }
            var section = speech.GetConfig($"\"{name}\"");
            if (section is null || section.IsEmpty)
            {
                throw Invalid($"speech.{name}", "must be an object with a template and its inputs");
            }
            if (section.HasPath("template") && section.GetString("template") is "")
            {
                continue; // template = "": this workflow is off (how a config turns a shipped one off)
            }
            var template = Template(section, SpeechAffinity(name), templateFolder, [WorkflowInput.Text], $"videoakka.comfyui.speech.{name}");
            workflows[name] = template;
        }
        return workflows.ToImmutable();
    }

    private static int CapacityOf(Config? overrides, Uri url, int fallback)
    {
        if (overrides is null || overrides.IsEmpty)
        {
            return fallback;
        }
        foreach (var key in new[] { url.ToString(), url.ToString().TrimEnd('/') })
        {
            var path = $"\"{key}\"";
            if (overrides.HasPath(path))
            {
                var value = overrides.GetInt(path);
                return value >= 1 ? value : throw Invalid($"capacity.\"{key}\"", "must be at least 1");
            }
        }
        return fallback;
    }

    private static ComfyUiWorkflow Workflow(Config root, string name, string templateFolder, WorkflowInput[] required)
    {
        var section = root.GetConfig($"workflows.{name}");
        if (section is null || section.IsEmpty)
        {
            throw Invalid($"workflows.{name}", "is missing");
        }
        var template = Template(section, name, templateFolder, required, $"videoakka.comfyui.workflows.{name}");
        var megapixels = section.GetDouble("megapixels");
        if (megapixels is <= 0.01 or > 40)
        {
            throw Invalid($"workflows.{name}.megapixels", "must be from 0.01 to 40");
        }
        return new ComfyUiWorkflow(
            template,
            megapixels,
            PositiveIn(section, "multiple-of", 1, 256, name),
            section.HasPath("fps") ? section.GetDouble("fps") is > 0 and <= 240 and var fps ? fps : throw Invalid($"workflows.{name}.fps", "must be from 1 to 240") : 24,
            section.HasPath("max-frames") ? PositiveIn(section, "max-frames", 1, 10_000, name) : 1,
            section.HasPath("frame-step") ? PositiveIn(section, "frame-step", 1, 64, name) : 1);
    }

    /// <summary>A workflow section's template file and its input bindings, loaded and checked.</summary>
    private static WorkflowTemplate Template(Config section, string name, string templateFolder, WorkflowInput[] required, string configPath)
    {
        var file = section.GetString("template");
        if (string.IsNullOrWhiteSpace(file))
        {
            throw new ArgumentException($"{configPath}.template must name an API-format workflow file");
        }
        var path = Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(templateFolder, file));
        var bindings = new Dictionary<WorkflowInput, IReadOnlyList<string>>();
        var inputs = section.GetConfig("inputs");
        foreach (var input in Enum.GetValues<WorkflowInput>())
        {
            var key = input.ToConfigKey();
            if (inputs is null || !inputs.HasPath(key))
            {
                continue;
            }
            var value = inputs.GetValue(key);
            IReadOnlyList<string> specs = value.IsArray() ? [.. value.GetArray().Select(v => v.GetString())] : [value.GetString()];
            bindings[input] = [.. specs.Where(s => !string.IsNullOrWhiteSpace(s))];
        }
        return WorkflowTemplate.Load(name, path, bindings, required, configPath);
    }

    private static int PositiveIn(Config section, string key, int min, int max, string workflow)
    {
        var value = section.GetInt(key);
        return value >= min && value <= max ? value : throw Invalid($"workflows.{workflow}.{key}", $"must be from {min} to {max}");
    }

    private static int Positive(Config root, string path) =>
        root.GetInt(path) is >= 1 and var value ? value : throw Invalid(path, "must be at least 1");

    private static int NonNegative(Config root, string path) =>
        root.GetInt(path) is >= 0 and <= 20 and var value ? value : throw Invalid(path, "must be from 0 to 20");

    private static TimeSpan Duration(Config root, string path) =>
        root.GetTimeSpan(path) is var value && value > TimeSpan.Zero && value <= TimeSpan.FromDays(7)
            ? value
            : throw Invalid(path, "must be a positive duration of at most 7 days");

    private static ArgumentException Invalid(string path, string message) => new($"videoakka.comfyui.{path} {message}");
}
