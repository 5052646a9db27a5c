namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// The clock of one unit of a stage's work, carried by the progress a generator is given: time the unit waits for a
/// GPU slot is not the stage's (its timeout) nor the job's (its running time), so the generator pauses it meanwhile.
/// </summary>
public interface IPausableClock
{
    /// <summary>Pauses the clock until the returned handle is disposed.</summary>
    IDisposable Pause();
}

/// <summary>Pauses the clock of a progress that carries one; does nothing for any other.</summary>
public static class ClockPause
{
    public static IDisposable? While(IProgress<double> progress) => (progress as IPausableClock)?.Pause();
}
