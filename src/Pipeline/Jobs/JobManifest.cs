using System.Collections.Immutable;

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
    ImmutableArray<ManifestScene> Scenes);

/// <param name="Seed">The generation seed the scene was made with.</param>
/// <param name="ImageBackend">Who made the image: "comfyui", "draft", "image_url" or "image_file".</param>
/// <param name="ClipBackend">Who made the clip: "comfyui", "draft" or "kenburns".</param>
public sealed record ManifestScene(int Index, string ImagePrompt, string? VideoPrompt, double Duration, string ImageFile, string VideoFile,
    long Seed, string ImageBackend, string ClipBackend);
