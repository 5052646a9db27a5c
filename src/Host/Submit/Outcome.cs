namespace VideoAkka.Host.Submit;

/// <summary>The lines that say how a job ended, the same in both displays so that scripts can read them:
/// "run (job id): completed: URL", "run (job id): video: PATH", "run (job id): failed: REASON".</summary>
public static class Outcome
{
    public static IEnumerable<string> Lines(TrackedJob job, JobSnapshot end, string videoUrl)
    {
        var who = $"{Printable.Of(job.RunId)} (job {job.JobId})";
        if (end.Status == "completed")
        {
            yield return $"{who}: completed: {videoUrl}";
            if (end.FinalVideoPath is not null)
            {
                yield return $"{who}: video: {Printable.Of(end.FinalVideoPath, 4096)}";
            }
        }
        else
        {
            yield return $"{who}: {Printable.Of(end.Status)}: {(string.IsNullOrEmpty(end.Error) ? "no reason given" : Printable.Of(end.Error, 2000))}";
        }
    }
}
