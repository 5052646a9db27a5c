using System.Collections.Immutable;
using Akka.Actor;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Support;

/// <summary>Job runs for specs of the graph's parts, without Redis or a folder on disk.</summary>
public static class TestRuns
{
    public static JobRun Create(string jobId, int scenes = 2, CancellationToken workerStopping = default)
    {
        var folder = new JobFolder(Path.Combine(Path.GetTempPath(), "videoakka-runs", jobId));
        var format = new VideoFormat(180, 320, 15);
        var prompts = Enumerable.Range(1, scenes).Select(i => new ScenePrompt($"scene {i}")).ToImmutableArray();
        var request = new JobRequest("Hello.", null, prompts, $"run-{jobId}", JobOptions.Default);
        var tasks = Enumerable.Range(1, scenes)
            .Select(i => new SceneTask(jobId, folder, i, prompts[i - 1], 1, format, i, SceneSources.For(prompts[i - 1], JobOptions.Default)))
            .ToImmutableArray();
        return new JobRun(jobId, request, folder, format, tasks, "en", ActorRefs.Nobody, workerStopping, workerStopping, ResumedParts.None,
            new AdmissionSlot(new JobAdmission(1)), TimeSpan.FromSeconds(1));
    }
}
