using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// One prompt on the ComfyUI instances, from a GPU slot to its downloaded output: the scene images and clips and the
/// speech pieces all go through here. Each prompt waits for a slot from the scheduler, runs on that instance (see
/// <see cref="PromptFollower"/>), and its output is downloaded under a name of ours. An instance that cannot be
/// reached leaves the rotation and the prompt is retried (Polly, exponential backoff with jitter) on another one, a
/// bounded number of times; anything else fails the job at once.
/// </summary>
public sealed partial class ComfyUiPromptRunner
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly ComfyUiSettings _settings;
    private readonly IGpuScheduler _scheduler;
    private readonly ImmutableArray<ComfyUiClient> _clients;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;

    public ComfyUiPromptRunner(ComfyUiSettings settings, IGpuScheduler scheduler, ImmutableArray<ComfyUiClient> clients, ILogger logger)
    {
        _settings = settings;
        _scheduler = scheduler;
        _clients = clients;
        _logger = logger;
        _retry = settings.Retries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<ComfyUiUnavailableException>(),
                    MaxRetryAttempts = settings.Retries,
                    Delay = settings.FirstBackoff,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    OnRetry = args =>
                    {
                        _logger.LogWarning("ComfyUI prompt retried (attempt {Attempt}): {Reason}", args.AttemptNumber + 1, args.Outcome.Exception?.Message);
                        return ValueTask.CompletedTask;
                    },
                })
                .Build();
    }

    public ComfyUiSettings Settings => _settings;

    /// <summary>Runs the prompt, retried on other instances while instances are unreachable; returns the downloaded
    /// output (at <see cref="ComfyUiPrompt.Target"/>'s path).</summary>
    public async Task<string> RunAsync(ComfyUiPrompt prompt, IProgress<double> progress, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(async ct =>
            {
                GpuSlot slot;
                using (ClockPause.While(progress))
                {
                    // Waiting for a GPU is neither the stage's time nor the job's running time.
                    slot = await _scheduler.AcquireAsync(prompt.Template.Name, ct).ConfigureAwait(false);
                }
                var client = _clients[slot.Instance];
                var promptId = Guid.NewGuid().ToString("D");
                var held = true;
                try
                {
                    var graph = prompt.Template.Apply(await prompt.Values(client, ct).ConfigureAwait(false));
                    var entry = await RunPromptAsync(client, graph, promptId, prompt.What, progress, ct).ConfigureAwait(false);
                    // The prompt is over on the GPU: its slot goes to the next prompt while we download.
                    _scheduler.Release(slot);
                    held = false;
                    return await DownloadAsync(client, entry, prompt, ct).ConfigureAwait(false);
                }
                catch (ComfyUiUnavailableException ex) when (held && ex.Instance == client.Instance)
                {
                    // The instance may still be running the prompt (a proxy's 502, a call that timed out after
                    // ComfyUI queued it): take it back before it is run again elsewhere, so no GPU does it twice and
                    // the instance holds no more of ours than its capacity when it rejoins the rotation.
                    // Out of the rotation first: stopping can take a while on a hung instance.
                    _scheduler.ReportUnavailable(slot, ex.Reason);
                    held = false;
                    await StopAsync(client, promptId).ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    if (held)
                    {
                        _scheduler.Release(slot);
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ComfyUiUnavailableException ex)
        {
            throw new ComfyUiException($"{ex.Message} (the {prompt.What} prompt was tried {_settings.Retries + 1} times; videoakka.comfyui.retries)");
        }
    }

    private async Task<ComfyUiHistoryEntry> RunPromptAsync(ComfyUiClient client, JsonObject graph, string promptId, string what, IProgress<double> progress, CancellationToken cancellationToken)
    {
        // The limit counts from when ComfyUI starts running the prompt, not while it waits behind our other prompts on
        // the same instance; should the start go unseen (a dropped socket), it still fires after the time the
        // instance's whole capacity could take.
        using var timeout = new CancellationTokenSource(TimeSpan.FromTicks(Math.Min(_settings.PromptTimeout.Ticks * client.Instance.Capacity, TimeSpan.FromDays(20).Ticks)));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ComfyUiHistoryEntry entry;
        try
        {
            entry = await PromptFollower.RunAsync(client, graph, promptId, progress, () => timeout.CancelAfter(_settings.PromptTimeout), linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            await StopAsync(client, promptId).ConfigureAwait(false);
            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ComfyUiException(
                    $"the {what} prompt did not finish within {_settings.PromptTimeout} (videoakka.comfyui.prompt-timeout) on {client.Instance.Display}; it was interrupted");
            }
            throw;
        }
        return entry.Outcome switch
        {
            ComfyUiOutcome.Success => entry,
            ComfyUiOutcome.Error => throw new ComfyUiException(
                $"ComfyUI at {client.Instance.Display} failed the {what} prompt: {entry.Error?.Describe() ?? "execution error"}"),
            _ => throw new ComfyUiException(
                $"ComfyUI at {client.Instance.Display} interrupted the {what} prompt{(entry.Interruption?.NodeId is { } node ? $" at node {node} ({entry.Interruption.NodeType})" : "")}"),
        };
    }

    /// <summary>The job no longer wants the prompt (it failed elsewhere, timed out, or the worker is stopping): take
    /// it out of ComfyUI's queue if it waits there, and interrupt it if it runs. Both are harmless when it is neither.</summary>
    private async Task StopAsync(ComfyUiClient client, string promptId)
    {
        using var stop = new CancellationTokenSource(StopTimeout);
        try
        {
            await client.DeleteFromQueueAsync([promptId], stop.Token).ConfigureAwait(false);
            await client.InterruptAsync(promptId, stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ComfyUiException or OperationCanceledException)
        {
            _logger.LogWarning("Could not stop ComfyUI prompt {PromptId} on {Instance}: {Error}", promptId, client.Instance.Display, ex.Message);
        }
    }

    private async Task<string> DownloadAsync(ComfyUiClient client, ComfyUiHistoryEntry entry, ComfyUiPrompt prompt, CancellationToken cancellationToken)
    {
        var (what, kind) = (prompt.What, prompt.Output);
        var file = entry.Files.Where(f => f.Kind == kind).OrderBy(f => f.Type == "output" ? 0 : 1).FirstOrDefault()
            ?? throw new ComfyUiException(entry.Files.IsEmpty
                ? $"ComfyUI at {client.Instance.Display} finished the {what} prompt without an output file"
                : $"ComfyUI at {client.Instance.Display} finished the {what} prompt without an {kind.ToString().ToLowerInvariant()} output (it made {string.Join(", ", entry.Files.Select(f => f.Filename).Take(5))})");
        if (file.Refusal() is { } refusal)
        {
            // /view would refuse or strip most of these itself; a proxy in front of it might not.
            throw new ComfyUiException($"ComfyUI at {client.Instance.Display} named the {what} prompt's output {refusal}: refused");
        }
        var extension = SafeExtension().IsMatch(file.Extension) ? file.Extension : ".bin";
        var target = prompt.Target(extension);
        try
        {
            await client.DownloadAsync(file, target, _settings.MaxOutputBytes, cancellationToken).ConfigureAwait(false);
            return target;
        }
        catch
        {
            File.Delete(target); // no partial download is left in the job folder
            throw;
        }
    }

    [GeneratedRegex(@"^\.[a-z0-9]{1,5}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeExtension();
}

/// <summary>One prompt to run: the template, the values to bind (asked of the instance that will run it, so an upload
/// goes to that instance), which kind of output to fetch, and where to put it.</summary>
/// <param name="What">"image", "clip", "speech": names the prompt in the job's error.</param>
/// <param name="Target">Our path for the download, given its (checked) extension such as ".flac": never a name from ComfyUI.</param>
public sealed record ComfyUiPrompt(
    WorkflowTemplate Template,
    string What,
    ComfyUiOutputKind Output,
    Func<ComfyUiClient, CancellationToken, Task<Dictionary<WorkflowInput, object>>> Values,
    Func<string, string> Target);
