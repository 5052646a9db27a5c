using CliWrap;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// Runs an external tool through CliWrap with an argument list (never a shell string), returns its stdout, and turns a
/// non-zero exit into a <see cref="MediaToolException"/> carrying the exit code and the last lines of stderr.
/// Cancellation is graceful first (SIGINT), then forceful after <see cref="MediaToolSettings.KillGrace"/>.
/// </summary>
public sealed class ToolRunner(MediaToolSettings settings)
{
    private const int StderrTailLines = 12;

    public MediaToolSettings Settings { get; } = settings;

    /// <param name="onOutputLine">When given, stdout goes to it line by line (ffmpeg's -progress) and "" is returned.</param>
    public async Task<string> RunAsync(string executable, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken, Action<string>? onOutputLine = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stdout = new System.Text.StringBuilder();
        var stderrTail = new Queue<string>(StderrTailLines);
        using var forceful = new CancellationTokenSource();
        await using var escalate = cancellationToken.Register(() => forceful.CancelAfter(Settings.KillGrace));

        var result = await Cli.Wrap(executable)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(onOutputLine is null ? PipeTarget.ToStringBuilder(stdout) : PipeTarget.ToDelegate(onOutputLine))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                lock (stderrTail)
                {
                    if (stderrTail.Count == StderrTailLines)
                    {
                        stderrTail.Dequeue();
                    }
                    stderrTail.Enqueue(line);
                }
            }))
            .ExecuteAsync(forceful.Token, cancellationToken)
            .ConfigureAwait(false);

        if (result.ExitCode != 0)
        {
            string tail;
            lock (stderrTail)
            {
                tail = string.Join(" | ", stderrTail.Where(l => l.Length > 0));
            }
            throw new MediaToolException(Path.GetFileName(executable), result.ExitCode, tail);
        }
        return stdout.ToString();
    }
}
