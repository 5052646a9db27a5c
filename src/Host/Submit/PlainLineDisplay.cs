namespace VideoAkka.Host.Submit;

/// <summary>
/// For output that is not a terminal (a pipe, a log, a test): one line per change of a job's status or stage, and
/// its outcome lines; no cursor movement, no colour. Progress within a stage is left out, so a long job does not
/// fill a log.
/// </summary>
public sealed class PlainLineDisplay(TextWriter output, TextWriter errors) : IJobDisplay, IJobView
{
    private readonly Dictionary<string, string> _shown = [];

    public Task<T> ShowAsync<T>(IReadOnlyList<TrackedJob> jobs, Func<IJobView, Task<T>> follow) => follow(this);

    public void Changed(TrackedJob job, JobSnapshot now)
    {
        var state = $"{now.Status} {now.Stage}";
        if (_shown.TryGetValue(job.JobId, out var before) && before == state)
        {
            return;
        }
        _shown[job.JobId] = state;
        output.WriteLine($"{Printable.Of(job.RunId)}: {Printable.Of(now.Summary)}");
    }

    public void Ended(TrackedJob job, JobSnapshot end, string videoUrl)
    {
        foreach (var line in Outcome.Lines(job, end, videoUrl))
        {
            output.WriteLine(line);
        }
    }

    public void Notice(string message) => errors.WriteLine($"videoakka submit: {message}");
}
