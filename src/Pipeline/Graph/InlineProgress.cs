namespace VideoAkka.Pipeline.Graph;

/// <summary>Progress reported on the reporting thread. <see cref="Progress{T}"/> would post to the thread pool, so a
/// report could arrive after the step that made it has finished.</summary>
internal sealed class InlineProgress(Action<double> report) : IProgress<double>
{
    public void Report(double value) => report(value);
}
