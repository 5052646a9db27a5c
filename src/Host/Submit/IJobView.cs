namespace VideoAkka.Host.Submit;

/// <summary>A job that was accepted: where it came from, its id, and the run id it is shown by.</summary>
public sealed record TrackedJob(string Source, string JobId, string RunId);

/// <summary>Where the follower reports what happens to the jobs: live bars on a terminal, plain lines otherwise.
/// Called from one task at a time.</summary>
public interface IJobView
{
    /// <summary>A job's status, stage or progress changed.</summary>
    void Changed(TrackedJob job, JobSnapshot now);

    /// <summary>A job ended: completed (with the video's URL and path), failed or cancelled (with the reason).</summary>
    void Ended(TrackedJob job, JobSnapshot end, string videoUrl);

    /// <summary>Something about the connection, not about a job ("events stream lost: polling").</summary>
    void Notice(string message);
}

/// <summary>Shows the jobs while <c>follow</c> runs.</summary>
public interface IJobDisplay
{
    Task<T> ShowAsync<T>(IReadOnlyList<TrackedJob> jobs, Func<IJobView, Task<T>> follow);
}
