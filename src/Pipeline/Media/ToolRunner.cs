using CliWrap;

namespace VideoAkka.Pipeline.Media;

/// <summary>
/// Runs an external tool through CliWrap with an argument list (never a shell string), returns its stdout, and turns a
/// non-zero exit into a <see cref="MediaToolException"/> carrying the exit code and the stderr line(s) that say what went
/// wrong (see <see cref="ToolStderr"/>): the first error lines, not the banner or the last generic one.
/// Cancellation is graceful first (SIGINT), then forceful after <see cref="MediaToolSettings.KillGrace"/>.
/// On Linux every tool is started through util-linux's <c>setpriv --pdeathsig KILL</c>: when the worker dies, even by
/// kill -9, the kernel kills its ffmpeg and espeak-ng too, so none goes on writing into a job folder that another worker
/// has resumed. They are started from one long-lived thread (<see cref="SpawnThread"/>) for the signal to mean that.
/// </summary>
public sealed class ToolRunner(MediaToolSettings settings)
{
    private const int StderrTailLines = 12;

    /// <summary>Error lines kept from the start of stderr: ffmpeg's first complaint is usually the cause, and a long
    /// stderr (a warning per frame) must not push it out.</summary>
    private const int ComplaintLines = 8;

    private const string Setpriv = "/usr/bin/setpriv";

    private readonly bool _dieWithWorker = OperatingSystem.IsLinux() && File.Exists(Setpriv);

    private readonly SpawnThread _spawner = new();

    public MediaToolSettings Settings { get; } = settings;

    /// <param name="onOutputLine">When given, stdout goes to it line by line (ffmpeg's -progress) and "" is returned.</param>
    /// <param name="onErrorLine">When given, every stderr line goes to it too (measurements that filters such as
    /// ebur128 and blackdetect print there).</param>
    public async Task<string> RunAsync(string executable, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken,
        Action<string>? onOutputLine = null, Action<string>? onErrorLine = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stdout = new System.Text.StringBuilder();
        var stderr = new StderrDigest(ComplaintLines, StderrTailLines);
        using var forceful = new CancellationTokenSource();
        await using var escalate = cancellationToken.Register(() => forceful.CancelAfter(Settings.KillGrace));

        var command = _dieWithWorker
            ? Cli.Wrap(Setpriv).WithArguments(["--pdeathsig", "KILL", "--", executable, .. arguments])
            : Cli.Wrap(executable).WithArguments(arguments);
        var running = await _spawner.RunAsync(() => command
            .WithWorkingDirectory(workingDirectory)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(onOutputLine is null ? PipeTarget.ToStringBuilder(stdout) : PipeTarget.ToDelegate(onOutputLine))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                onErrorLine?.Invoke(line);
                stderr.Add(line);
            }))
            .ExecuteAsync(forceful.Token, cancellationToken)).ConfigureAwait(false);
        var result = await running.ConfigureAwait(false);

        if (result.ExitCode != 0)
        {
            throw new MediaToolException(Path.GetFileName(executable), result.ExitCode, stderr.Summarize(workingDirectory));
        }
        return stdout.ToString();
    }
}
