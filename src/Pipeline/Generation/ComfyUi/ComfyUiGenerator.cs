using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using VideoAkka.Pipeline.Media;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>
/// Makes scenes on ComfyUI: the image from the image workflow, the clip from the image-to-video workflow with the
/// scene's image uploaded as its start frame. Each prompt waits for a GPU slot from the scheduler, runs on that
/// instance (see <see cref="PromptFollower"/>), and its output is downloaded under our own name and fitted to the
/// job's frame by ffmpeg. An instance that cannot be reached leaves the rotation and the prompt is retried (Polly,
/// exponential backoff with jitter) on another one, a bounded number of times; anything else fails the job at once.
/// </summary>
public sealed partial class ComfyUiGenerator : ISceneGenerator
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly ComfyUiSettings _settings;
    private readonly IGpuScheduler _scheduler;
    private readonly ImmutableArray<ComfyUiClient> _clients;
    private readonly MediaNormalizer _media;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;

    public ComfyUiGenerator(ComfyUiSettings settings, IGpuScheduler scheduler, ImmutableArray<ComfyUiClient> clients, MediaNormalizer media, ILogger<ComfyUiGenerator> logger)
    {
        _settings = settings;
        _scheduler = scheduler;
        _clients = clients;
        _media = media;
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

    public string Name => "comfyui";

    public async Task<string> GenerateImageAsync(SceneTask scene, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var workflow = _settings.Image;
        var (width, height) = workflow.SizeFor(scene.Format.Width, scene.Format.Height);
        var values = new Dictionary<WorkflowInput, object>
        {
            [WorkflowInput.Positive] = scene.Prompt.Image,
            [WorkflowInput.Seed] = scene.Seed,
            [WorkflowInput.Width] = width,
            [WorkflowInput.Height] = height,
            [WorkflowInput.FilenamePrefix] = $"videoakka/{scene.JobId}/{Path.GetFileNameWithoutExtension(scene.ImageFile)}",
        };
        var download = await RunAsync(workflow, scene, "image", ComfyUiOutputKind.Image, (_, _) => Task.FromResult(values), progress, cancellationToken).ConfigureAwait(false);
        try
        {
            await _media.NormalizeImageAsync(download, scene.ImagePath, scene.Format, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(download);
        }
        return scene.ImagePath;
    }

    public async Task<string> GenerateClipAsync(SceneTask scene, string imagePath, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var workflow = _settings.ImageToVideo;
        var (width, height) = workflow.SizeFor(scene.Format.Width, scene.Format.Height);
        async Task<Dictionary<WorkflowInput, object>> ValuesOn(ComfyUiClient client, CancellationToken ct) => new()
        {
            [WorkflowInput.Positive] = scene.MotionPrompt,
            [WorkflowInput.Seed] = scene.Seed,
            [WorkflowInput.Width] = width,
            [WorkflowInput.Height] = height,
            [WorkflowInput.Length] = workflow.FramesFor(scene.DurationSeconds),
            [WorkflowInput.Fps] = workflow.Fps,
            // Uploaded to the instance that runs the prompt, into a folder of this job; ComfyUI may rename it.
            [WorkflowInput.Image] = await client.UploadImageAsync(imagePath, $"videoakka/{scene.JobId}", ct).ConfigureAwait(false),
            [WorkflowInput.FilenamePrefix] = $"videoakka/{scene.JobId}/{Path.GetFileNameWithoutExtension(scene.VideoFile)}",
        };
        var download = await RunAsync(workflow, scene, "clip", ComfyUiOutputKind.Video, ValuesOn, progress, cancellationToken).ConfigureAwait(false);
        try
        {
            await _media.NormalizeClipAsync(download, scene.VideoPath, scene.Format, scene.DurationSeconds, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaToolException ex) when (download.EndsWith(".webp", StringComparison.Ordinal))
        {
            // ffmpeg before 7.1 has no animated WebP decoder (Debian 12 ships 5.1).
            throw new ComfyUiException($"the clip workflow saved an animated WebP, which this ffmpeg cannot read ({ex.Message}); save the clip with SaveVideo (mp4) or SaveWEBM");
        }
        finally
        {
            File.Delete(download);
        }
        return scene.VideoPath;
    }

    /// <summary>One prompt, retried on other instances while instances are unreachable; returns the downloaded output
    /// (a hidden file in the job folder, named by us).</summary>
    private async Task<string> RunAsync(
        ComfyUiWorkflow workflow,
        SceneTask scene,
        string what,
        ComfyUiOutputKind kind,
        Func<ComfyUiClient, CancellationToken, Task<Dictionary<WorkflowInput, object>>> values,
        IProgress<double> progress,
        CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(async ct =>
            {
                GpuSlot slot;
                using (ClockPause.While(progress))
                {
                    // Waiting for a GPU is neither the stage's time nor the job's running time.
                    slot = await _scheduler.AcquireAsync(workflow.Name, ct).ConfigureAwait(false);
                }
                var client = _clients[slot.Instance];
                var promptId = Guid.NewGuid().ToString("D");
                var held = true;
                try
                {
                    var graph = workflow.Template.Apply(await values(client, ct).ConfigureAwait(false));
                    var entry = await RunPromptAsync(client, graph, promptId, what, progress, ct).ConfigureAwait(false);
                    // The prompt is over on the GPU: its slot goes to the next prompt while we download.
                    _scheduler.Release(slot);
                    held = false;
                    return await DownloadAsync(client, entry, scene, what, kind, ct).ConfigureAwait(false);
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
            throw new ComfyUiException($"{ex.Message} (the {what} prompt was tried {_settings.Retries + 1} times; videoakka.comfyui.retries)");
        }
    }

    private async Task<ComfyUiHistoryEntry> RunPromptAsync(ComfyUiClient client, System.Text.Json.Nodes.JsonObject graph, string promptId, string what, IProgress<double> progress, CancellationToken cancellationToken)
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

    private async Task<string> DownloadAsync(ComfyUiClient client, ComfyUiHistoryEntry entry, SceneTask scene, string what, ComfyUiOutputKind kind, CancellationToken cancellationToken)
    {
        var file = entry.Files.Where(f => f.Kind == kind).OrderBy(f => f.Type == "output" ? 0 : 1).FirstOrDefault()
            ?? throw new ComfyUiException(entry.Files.IsEmpty
                ? $"ComfyUI at {client.Instance.Display} finished the {what} prompt without an output file"
                : $"ComfyUI at {client.Instance.Display} finished the {what} prompt without an {kind.ToString().ToLowerInvariant()} output (it made {string.Join(", ", entry.Files.Select(f => f.Filename).Take(5))})");
        var extension = SafeExtension().IsMatch(file.Extension) ? file.Extension : ".bin";
        var target = scene.Folder.File($".comfyui_{what}_{scene.Index:000}{extension}");
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
