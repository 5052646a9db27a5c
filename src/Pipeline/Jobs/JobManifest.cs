using System.Collections.Immutable;
using System.Text.Json.Serialization;
using VideoAkka.Pipeline.Media.Qc;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>manifest.json in the job folder: the job's configuration as the worker resolved it.</summary>
public sealed record JobManifest(
    string JobId,
    string RunId,
    DateTimeOffset CreatedAt,
    string Script,
    string? Caption,
    string Aspect,
    int Width,
    int Height,
    int Fps,
    string? Voice,
    bool Voiceover,
    string Backend,
    ImmutableArray<ManifestScene> Scenes)
{
    /// <summary>Quality control of the render, added when the render is checked (the same report as the record's).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QcReport? Qc { get; init; }
}

/// <param name="Seed">The generation seed the scene was made with.</param>
/// <param name="ImageBackend">Who made the image: "comfyui", "draft", "image_url" or "image_file".</param>
/// <param name="ClipBackend">Who made the clip: "comfyui", "draft" or "kenburns".</param>
public sealed record ManifestScene(int Index, string ImagePrompt, string? VideoPrompt, double Duration, string ImageFile, string VideoFile,
    long Seed, string ImageBackend, string ClipBackend);
