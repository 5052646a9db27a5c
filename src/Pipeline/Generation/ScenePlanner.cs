using System.Collections.Immutable;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Generation;

/// <summary>Turns a request's prompts into the scenes a generator makes: length, seed and sources are settled here,
/// once, when the job starts, so the manifest can record them.</summary>
public static class ScenePlanner
{
    /// <summary>Random seeds stay below 2^48: exact in every JSON reader, and in range of every sampler's seed input.</summary>
    public const long RandomSeedLimit = 1L << 48;

    public static ImmutableArray<SceneTask> Plan(string jobId, JobRequest request, JobFolder folder, VideoFormat format, double defaultSeconds, Random random) =>
        [.. request.Prompts.Select((prompt, i) => new SceneTask(
            jobId,
            folder,
            i + 1,
            prompt,
            prompt.Duration ?? defaultSeconds,
            format,
            prompt.Seed ?? (request.Options.Seed is { } seed ? Math.Min(seed + i, SceneInputs.MaxSeed) : random.NextInt64(RandomSeedLimit)),
            SceneSources.For(prompt, request.Options)))];
}
