using Spectre.Console;

namespace VideoAkka.Host.Submit;

/// <summary>
/// `./videoakka submit FILE.json|FILE.jsonl [--wait] [--url URL]`: a client of a running service, over HTTP only.
/// Submits each job of the file, prints its job id, and with --wait follows every job to its end, printing each
/// video's URL and path or each failure's reason. The exit code says how it went (<see cref="ExitCodes"/>).
/// </summary>
public static class SubmitCommand
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    // Several of the service's heartbeats (15 s by default) without a byte: the connection is dead.
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(50);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var arguments = SubmitArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (arguments is null)
        {
            Console.Error.WriteLine($"videoakka submit: {error}");
            return ExitCodes.Usage;
        }
        IReadOnlyList<BatchEntry> entries;
        try
        {
            entries = await BatchFile.ReadAsync(arguments.File, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"videoakka submit: cannot read {arguments.File}: {e.Message}");
            return ExitCodes.Usage;
        }
        if (entries.Count == 0)
        {
            Console.Error.WriteLine($"videoakka submit: {arguments.File} holds no job");
            return ExitCodes.Usage;
        }

        using var client = new ServiceClient(arguments.BaseUrl, arguments.ApiKey);
        // Subscribed before submitting, so every update of the jobs is in the stream, in order.
        using var events = arguments.Wait ? await TryOpenEventsAsync(client, cancellationToken) : null;
        var (accepted, code) = await SubmitAllAsync(client, entries, cancellationToken);
        if (code == ExitCodes.Unreachable || !arguments.Wait || accepted.Count == 0)
        {
            Console.WriteLine($"{accepted.Count} submitted, {entries.Count - accepted.Count} not");
            return code;
        }
        return Math.Max(code, await WaitAsync(client, accepted, events, cancellationToken));
    }

    /// <returns>Null when the stream cannot be opened now: submitting says why if the service is away, and the
    /// follower opens it later (reading the jobs' records once it is open). A service or proxy that holds the
    /// headers back is not waited for long.</returns>
    private static async Task<HttpResponseMessage?> TryOpenEventsAsync(ServiceClient client, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            return await client.OpenEventsAsync(null, patience.Token);
        }
        catch (ServiceUnavailableException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Sends the jobs one after the other; one refused does not stop the others, an unreachable service
    /// does (every other job would say the same).</summary>
    private static async Task<(List<TrackedJob> Accepted, int Code)> SubmitAllAsync(ServiceClient client, IReadOnlyList<BatchEntry> entries,
        CancellationToken cancellationToken)
    {
        var accepted = new List<TrackedJob>();
        var code = ExitCodes.Success;
        foreach (var entry in entries)
        {
            if (entry.Body is null)
            {
                Console.Error.WriteLine($"{entry.Source}: refused: {entry.Problem}");
                code = ExitCodes.Refused;
                continue;
            }
            switch (await client.SubmitAsync(entry.Body, cancellationToken))
            {
                case Accepted job:
                    var tracked = new TrackedJob(entry.Source, job.JobId, entry.RunId ?? job.JobId);
                    accepted.Add(tracked);
                    Console.WriteLine($"{entry.Source}: submitted: job {job.JobId} (run {Printable.Of(tracked.RunId)})");
                    break;
                case Refused refused:
                    var hint = refused.Status == 401 ? " (set VIDEOAKKA_API_KEY to one of the service's keys)" : "";
                    Console.Error.WriteLine($"{entry.Source}: refused: {refused.Reason}{hint}");
                    code = ExitCodes.Refused;
                    break;
                case Unavailable unavailable:
                    Console.Error.WriteLine($"videoakka submit: cannot reach the service at {ServiceAddress.Shown(client.BaseUrl)}: {unavailable.Reason}");
                    return (accepted, ExitCodes.Unreachable);
            }
        }
        return (accepted, code);
    }

    private static async Task<int> WaitAsync(ServiceClient client, IReadOnlyList<TrackedJob> jobs, HttpResponseMessage? events,
        CancellationToken cancellationToken)
    {
        // Ctrl-C ends the wait, not the process: the jobs are the service's now, and we say so.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            IJobDisplay display = Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive
                ? new PlainLineDisplay(Console.Out, Console.Error)
                : new LiveBarsDisplay(AnsiConsole.Console);
            var result = await display.ShowAsync(jobs, view => new JobFollower(client, view, GiveUpAfter, Stall).FollowAsync(jobs, events, interrupted.Token));
            var completed = result.Ends.Values.Count(e => e.Status == "completed");
            Console.WriteLine($"{completed} completed, {result.Ends.Count - completed} failed or cancelled, {jobs.Count - result.Ends.Count} unknown");
            if (result.Lost is not null)
            {
                Console.Error.WriteLine($"videoakka submit: {result.Lost}; the jobs may still be running");
                return ExitCodes.Unreachable;
            }
            return completed == jobs.Count ? ExitCodes.Success : ExitCodes.JobFailed;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine("videoakka submit: stopped waiting; the jobs keep running on the service (GET /orchestrate/status/{job_id})");
            return ExitCodes.Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
