using System.Collections.Immutable;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>A validated request to make one video: what POST /orchestrate/start accepted.</summary>
public sealed record JobRequest(
    string Script,
    string? Caption,
    ImmutableArray<ScenePrompt> Prompts,
    string RunId,
    JobOptions Options);
