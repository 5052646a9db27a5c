using System.Threading.Channels;
using VideoAkka.Pipeline.Generation;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>
/// The tts stage's clock as a voiceover's pieces share it while they are spoken at once. It stands still only while
/// every running piece waits for a GPU slot (a piece still being spoken is the stage's work), so a ComfyUI voice's waits
/// behind other prompts count against neither the stage's timeout nor the job's running time, as a scene's waits do
/// not. The counts and the stage clock have one owner, a loop reading the pieces' changes in order: pieces only tell
/// it (no lock), and the stage clock, which expects one caller at a time, hears only from that loop.
/// </summary>
internal sealed class PiecesClock : IAsyncDisposable
{
    // Unbounded, yet small: each piece tells it at most four changes.
    private readonly Channel<Change> _changes = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _owner;

    public PiecesClock(IProgress<double> stage) => _owner = OwnAsync(stage);

    private readonly record struct Change(int Running, int Waiting, TaskCompletionSource? Applied = null);

    /// <summary>A piece starts; dispose the result when it ends. The result is the piece's progress, which an engine
    /// pauses (<see cref="ClockPause"/>) while it waits for a slot.</summary>
    public Piece Start()
    {
        Tell(new Change(+1, 0));
        return new Piece(this);
    }

    /// <summary>Completes once every change told before it has reached the stage clock.</summary>
    public Task AppliedAsync()
    {
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Tell(new Change(0, 0, applied));
        return applied.Task;
    }

    /// <summary>No more pieces: the stage clock runs again if it was paused.</summary>
    public async ValueTask DisposeAsync()
    {
        _changes.Writer.TryComplete();
        await _owner.ConfigureAwait(false);
    }

    private void Tell(Change change)
    {
        if (!_changes.Writer.TryWrite(change))
        {
            change.Applied?.TrySetResult(); // the loop has ended: nothing is left to apply
        }
    }

    /// <summary>Paused exactly while pieces run and all of them wait.</summary>
    private async Task OwnAsync(IProgress<double> stage)
    {
        var (running, waiting) = (0, 0);
        IDisposable? pause = null;
        var paused = false;
        try
        {
            await foreach (var change in _changes.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    running += change.Running;
                    waiting += change.Waiting;
                    var wanted = running > 0 && waiting == running;
                    if (wanted != paused)
                    {
                        paused = wanted;
                        pause?.Dispose();
                        pause = wanted ? ClockPause.While(stage) : null;
                    }
                }
                finally
                {
                    change.Applied?.TrySetResult();
                }
            }
        }
        finally
        {
            // Ended, even by a fault: no waiter is left behind, and the stage clock runs again.
            _changes.Writer.TryComplete();
            while (_changes.Reader.TryRead(out var left))
            {
                left.Applied?.TrySetResult();
            }
            pause?.Dispose();
        }
    }

    /// <summary>One piece's view of the clock.</summary>
    public sealed class Piece(PiecesClock clock) : IProgress<double>, IPausableClock, IDisposable
    {
        private int _ended;

        /// <summary>The narrator reports whole pieces; a prompt's own steps say nothing more.</summary>
        public void Report(double value)
        {
        }

        public IDisposable Pause()
        {
            clock.Tell(new Change(0, +1));
            return new Waiting(clock);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                clock.Tell(new Change(-1, 0));
            }
        }

        private sealed class Waiting(PiecesClock clock) : IDisposable
        {
            private int _ended;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _ended, 1) == 0)
                {
                    clock.Tell(new Change(0, -1));
                }
            }
        }
    }
}
