using Akka.Actor;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media.Qc;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// The qc stage, between the render and the job's completion: measures the render, puts the report in the record and
/// manifest.json, and fails the job when a hard check is off. A failed render is renamed to
/// <see cref="RejectedVideoName"/>, kept to look at, so that a retry renders again rather than resume it.
/// Returns a value, never throws.
/// </summary>
public sealed class QcSteps(IQualityCheck check, StageTimeouts timeouts, PipelineMetrics metrics, ILogger<QcSteps> logger)
{
    public const string RejectedVideoName = "stitched_subtitled.rejected.mp4";

    public async Task<JobStep> CheckAsync(JobStep step)
    {
        if (step is not JobSucceeded { Expect: { } expect } rendered)
        {
            return step;
        }
        var job = rendered.Job;
        if (job.Cancellation.IsCancellationRequested)
        {
            return new JobFailed(job, "cancelled");
        }
        using var scope = job.BeginLogScope(logger);
        try
        {
            job.Report(JobStages.Qc, JobProgress.QcPart, 0);
            var report = await StageClock.RunAsync(metrics, job, JobStages.Qc, timeouts.Qc, _ => { },
                (_, ct) => check.CheckAsync(job.Folder.Path, Path.GetFileName(rendered.FinalVideoPath), expect, ct)).ConfigureAwait(false);
            job.Owner.Tell(new JobOwner.RecordQc(report));
            await AddToManifestAsync(job.Folder, report, job.Cancellation).ConfigureAwait(false);
            job.Report(JobStages.Qc, JobProgress.QcPart, 1);
            foreach (var warning in report.WarningChecks)
            {
                logger.LogWarning("Job {JobId} quality warning: {Check}", job.JobId, warning.Describe());
            }
            if (report.FailureReason is { } reason)
            {
                File.Move(rendered.FinalVideoPath, job.Folder.File(RejectedVideoName), overwrite: true);
                return new JobFailed(job, await job.FailAsync("qc: " + reason, JobStages.Qc).ConfigureAwait(false));
            }
            return rendered with { Expect = null };
        }
        catch (Exception ex)
        {
            return new JobFailed(job, await StageFailure.DescribeAsync(job, JobStages.Qc, "qc", ex, logger).ConfigureAwait(false));
        }
    }

    /// <summary>manifest.json gains the report beside the job's resolved configuration; a manifest that is not ours
    /// (edited, unreadable) is left as it is.</summary>
    private static async Task AddToManifestAsync(JobFolder folder, QcReport report, CancellationToken cancellationToken)
    {
        if (!File.Exists(folder.Manifest))
        {
            return;
        }
        var manifest = JobJson.TryDeserialize(await File.ReadAllTextAsync(folder.Manifest, cancellationToken).ConfigureAwait(false), JobJson.Default.JobManifest);
        if (manifest is null)
        {
            return;
        }
        var written = folder.Manifest + ".partial";
        await File.WriteAllTextAsync(written, JsonSerializer.Serialize(manifest with { Qc = report }, JobJson.Default.JobManifest), cancellationToken).ConfigureAwait(false);
        File.Move(written, folder.Manifest, overwrite: true);
    }
}
