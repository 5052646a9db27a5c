using System.Collections.Immutable;
using System.Text.Json;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Tests.Support;

/// <summary>Job runs for specs of the graph's parts, without Redis or a folder on disk.</summary>
public static class TestRuns
{
    public static JobRun Create(string jobId, int scenes = 2, TimeSpan? timeout = null, CancellationToken workerStopping = default)
    {
        var folder = new JobFolder(Path.Combine(Path.GetTempPath(), "videoakka-runs", jobId));
        var format = new VideoFormat(180, 320, 15);
        var prompts = Enumerable.Range(1, scenes).Select(i => new ScenePrompt($"scene {i}")).ToImmutableArray();
        var record = new JobRecord
        {
            JobId = jobId,
            RunId = $"run-{jobId}",
            Status = JobStatus.Running,
            Stage = JobStages.ImageGen,
            CreatedAt = DateTimeOffset.UnixEpoch,
            OutputDir = folder.Path,
            Payload = JsonDocument.Parse("{}").RootElement.Clone(),
        };
        var request = new JobRequest("Hello.", null, prompts, record.RunId, JobOptions.Default);
        var tasks = Enumerable.Range(1, scenes)
            .Select(i => new SceneTask(jobId, folder, i, prompts[i - 1], 1, format, i, SceneSources.For(prompts[i - 1], JobOptions.Default)))
            .ToImmutableArray();
        return new JobRun(record, request, folder, format, tasks, "en", timeout ?? TimeSpan.FromMinutes(5), workerStopping);
    }
}
