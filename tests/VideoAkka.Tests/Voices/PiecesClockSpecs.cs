using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Media.Speech;

namespace VideoAkka.Tests.Voices;

/// <summary>A voiceover's pieces share the tts stage's clock: it stands still only while every running piece waits for
/// a GPU slot, so a ComfyUI voice waiting behind other prompts does not use up the stage's timeout.</summary>
public sealed class PiecesClockSpecs
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    /// <summary>A stage clock that records whether it runs.</summary>
    private sealed class StageClock : IProgress<double>, IPausableClock
    {
        public bool Running { get; private set; } = true;

        public int Pauses { get; private set; }

        public void Report(double value)
        {
        }

        public IDisposable Pause()
        {
            Assert.True(Running, "paused twice without a resume");
            Running = false;
            Pauses++;
            return new Resume(this);
        }

        private sealed class Resume(StageClock clock) : IDisposable
        {
            public void Dispose() => clock.Running = true;
        }
    }

    [Fact]
    public async Task A_lone_piece_waiting_for_a_slot_stops_the_clock_until_it_has_one()
    {
        var stage = new StageClock();
        await using var clock = new PiecesClock(stage);

        using var piece = clock.Start();
        var waiting = ClockPause.While(piece)!;
        await clock.AppliedAsync().WaitAsync(Guard);
        Assert.False(stage.Running);
        waiting.Dispose();
        await clock.AppliedAsync().WaitAsync(Guard);
        Assert.True(stage.Running);
    }

    [Fact]
    public async Task The_clock_runs_while_any_piece_is_being_spoken_and_stops_once_all_wait()
    {
        var stage = new StageClock();
        await using var clock = new PiecesClock(stage);
        var first = clock.Start();
        using var second = clock.Start();

        var firstWaits = ClockPause.While(first)!;
        await clock.AppliedAsync().WaitAsync(Guard);
        Assert.True(stage.Running); // the second is being spoken
        var secondWaits = ClockPause.While(second)!;
        await clock.AppliedAsync().WaitAsync(Guard);
        Assert.False(stage.Running);
        firstWaits.Dispose();
        await clock.AppliedAsync().WaitAsync(Guard);
        Assert.True(stage.Running);
        firstWaits.Dispose(); // a second dispose changes nothing
        first.Dispose();
        await clock.AppliedAsync().WaitAsync(Guard);
        Assert.False(stage.Running); // the one piece left waits
        secondWaits.Dispose();
        await clock.AppliedAsync().WaitAsync(Guard);
        Assert.True(stage.Running);
        Assert.Equal(2, stage.Pauses);
    }

    [Fact]
    public async Task Pieces_told_from_many_threads_at_once_leave_the_clock_running_once_all_have_ended()
    {
        var stage = new StageClock();
        await using var clock = new PiecesClock(stage);

        await Parallel.ForEachAsync(Enumerable.Range(0, 200), async (_, _) =>
        {
            using var piece = clock.Start();
            using (ClockPause.While(piece))
            {
                await Task.Yield();
            }
        });
        await clock.AppliedAsync().WaitAsync(Guard);

        Assert.True(stage.Running);
    }

    [Fact]
    public async Task A_clock_disposed_while_paused_runs_again()
    {
        var stage = new StageClock();
        var clock = new PiecesClock(stage);
        var piece = clock.Start();
        _ = ClockPause.While(piece);
        await clock.AppliedAsync().WaitAsync(Guard);
        Assert.False(stage.Running);

        await clock.DisposeAsync();

        Assert.True(stage.Running);
    }
}
