using System.Diagnostics;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Telemetry;

namespace VideoAkka.Pipeline.Graph;

/// <summary>Runs one unit of a stage's work for a job: bounded by the stage's timeout, and counted in the job's running
/// time (its owner's clock for videoakka.worker.job-timeout), except while the unit says it waits for a GPU slot.</summary>
internal static class StageClock
{
    public static async Task<T> RunAsync<T>(PipelineMetrics metrics, JobRun job, string stage, TimeSpan limit, Action<double> report,
        Func<IProgress<double>, CancellationToken, Task<T>> work)
    {
        // In flight and timed by wall clock, GPU waits included: what an operator sees a stage take.
        using var measured = metrics.StageStarted(stage);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(job.Cancellation);
        var unit = new UnitClock(job, deadline, limit, report);
        try
        {
            // Whatever a tool or a client throws once the deadline has cancelled it, the deadline is the reason.
            return await work(unit, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception) when (deadline.IsCancellationRequested && !job.Cancellation.IsCancellationRequested)
        {
            throw new StageTimeoutException(stage, limit);
        }
        finally
        {
            unit.Stop();
        }
    }

    /// <summary>The unit's progress and its clock. A unit's calls come one after another (a pause ends before the work
    /// goes on), so its state needs no lock.</summary>
    private sealed class UnitClock : IProgress<double>, IPausableClock
    {
        private readonly JobRun _job;
        private readonly CancellationTokenSource _deadline;
        private readonly TimeSpan _limit;
        private readonly Action<double> _report;
        private readonly Stopwatch _running = new();

        public UnitClock(JobRun job, CancellationTokenSource deadline, TimeSpan limit, Action<double> report)
        {
            (_job, _deadline, _limit, _report) = (job, deadline, limit, report);
            Resume();
        }

        public void Report(double value) => _report(value);

        public IDisposable Pause()
        {
            if (!_running.IsRunning)
            {
                return Resumption.None;
            }
            _running.Stop();
            _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            _job.WorkEnded();
            return new Resumption(this);
        }

        public void Stop()
        {
            if (_running.IsRunning)
            {
                _running.Stop();
                _job.WorkEnded();
            }
        }

        private void Resume()
        {
            var left = _limit - _running.Elapsed;
            _deadline.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            _running.Start();
            _job.WorkStarted();
        }

        private sealed class Resumption(UnitClock? clock) : IDisposable
        {
            public static Resumption None { get; } = new(null);

            private UnitClock? _clock = clock;

            public void Dispose()
            {
                // Once: a using block and an explicit dispose must not resume it twice.
                Interlocked.Exchange(ref _clock, null)?.Resume();
            }
        }
    }
}

/// <summary>One unit of a stage ran longer than the stage's timeout allows.</summary>
public sealed class StageTimeoutException(string stage, TimeSpan limit)
    : TimeoutException($"timed out after {Durations.Format(limit)} (videoakka.stages.{stage}.timeout)");
