using System.Collections.Concurrent;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// Starts child processes from one thread that lives as long as the service. Linux's parent-death signal (set by
/// <c>setpriv --pdeathsig</c>, see <see cref="ToolRunner"/>) fires when the thread that started the child exits, not
/// only the process: a thread-pool thread retiring while ffmpeg runs would kill it. This thread never retires.
/// </summary>
public sealed class SpawnThread
{
    private readonly BlockingCollection<Action> _starts = [];

    public SpawnThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var start in _starts.GetConsumingEnumerable())
            {
                start();
            }
        })
        {
            IsBackground = true,
            Name = "videoakka-spawn",
        };
        thread.Start();
    }

    /// <summary>Runs <paramref name="start"/> (which starts a process and returns at once) on this thread.</summary>
    public Task<T> RunAsync<T>(Func<T> start)
    {
        var started = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _starts.Add(() =>
        {
            try
            {
                started.SetResult(start());
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        });
        return started.Task;
    }
}
