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

public sealed record ManifestScene(int Index, string ImagePrompt, string? VideoPrompt, double Duration, string ImageFile, string VideoFile);
