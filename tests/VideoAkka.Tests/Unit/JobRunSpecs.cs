using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Unit;

/// <summary>A job run is the one place a job's failure is decided: first reason wins, all its work is cancelled.</summary>
public sealed class JobRunSpecs
{
    [Fact]
    public void The_first_failure_cancels_the_job_and_is_reported_once_with_its_reason()
    {
        using var run = TestRuns.Create("job-1");
        var reported = new List<string>();
        run.FirstFailure = (_, reason) => reported.Add(reason);

        run.Fail("image-gen scene 1: boom");
        run.Fail("video-gen scene 2: cancelled too");

        Assert.True(run.Cancellation.IsCancellationRequested);
        Assert.Equal(["image-gen scene 1: boom"], reported);
        Assert.Equal("image-gen scene 1: boom", run.FailureReason);
    }

    [Fact]
    public async Task A_job_still_running_after_its_timeout_fails_as_timed_out()
    {
        using var run = TestRuns.Create("job-2", timeout: TimeSpan.FromMilliseconds(50));

        await Eventually.WaitUntilAsync(() => Task.FromResult(run.Cancellation.IsCancellationRequested), "the timeout", TimeSpan.FromSeconds(10));

        Assert.StartsWith("timed out: still running after", run.FailureReason);
    }

    [Fact]
    public void A_worker_stopping_cancels_the_job_without_failing_it()
    {
        using var stopping = new CancellationTokenSource();
        using var run = TestRuns.Create("job-3", workerStopping: stopping.Token);

        stopping.Cancel();

        Assert.True(run.Cancellation.IsCancellationRequested);
        Assert.Null(run.FailureReason);
    }
}
