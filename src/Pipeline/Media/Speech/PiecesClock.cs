using VideoAkka.Pipeline.Generation;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>
/// The tts stage's clock as a voiceover's pieces share it while they are spoken at once. It stands still only while
/// every running piece waits for a GPU slot (a piece still being spoken is the stage's work), so a ComfyUI voice's waits
/// behind other prompts count against neither the stage's timeout nor the job's running time, as a scene's waits do
/// not. The stage clock is paused and resumed under one lock: it expects one caller at a time.
/// </summary>
internal sealed class PiecesClock(IProgress<double> stage)
{
    private readonly Lock _lock = new();
    private int _running;
    private int _waiting;
    private IDisposable? _pause;
    private bool _paused;

    /// <summary>A piece starts; dispose the result when it ends. The result is the piece's progress, which an engine
    /// pauses (<see cref="ClockPause"/>) while it waits for a slot.</summary>
    public Piece Start()
    {
        lock (_lock)
        {
            _running++;
            Settle();
        }
        return new Piece(this);
    }

    private void Change(int running, int waiting)
    {
        lock (_lock)
        {
            _running += running;
            _waiting += waiting;
            Settle();
        }
    }

    /// <summary>Under the lock: paused exactly while pieces run and all of them wait.</summary>
    private void Settle()
    {
        var wanted = _running > 0 && _waiting == _running;
        if (wanted == _paused)
        {
            return;
        }
        _paused = wanted;
        if (wanted)
        {
            _pause = ClockPause.While(stage);
        }
        else
        {
            _pause?.Dispose();
            _pause = null;
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
            clock.Change(0, +1);
            return new Waiting(clock);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                clock.Change(-1, 0);
            }
        }

        private sealed class Waiting(PiecesClock clock) : IDisposable
        {
            private int _ended;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _ended, 1) == 0)
                {
                    clock.Change(0, -1);
                }
            }
        }
    }
}
