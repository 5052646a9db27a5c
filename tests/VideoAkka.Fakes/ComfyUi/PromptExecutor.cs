using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>Plays one prompt the way execution.py does: start, cached, then per node progress_state, executing,
/// progress (samplers), executed (outputs), and one terminal event, whose history entry it hands to the state.</summary>
internal sealed class PromptExecutor(FakeServerState state, OutputNodes outputs, FakeComfyUiOptions options)
{
    public async Task RunAsync(PromptRun run)
    {
        try
        {
            var entry = await ExecuteAsync(run).ConfigureAwait(false);
            state.Finish(run, entry);
        }
        catch (OperationCanceledException) when (state.Killed)
        {
            // Killed mid-run: the prompt is simply gone, as after a real server's restart.
        }
        finally
        {
            run.Dispose();
        }
    }

    private async Task<JsonObject> ExecuteAsync(PromptRun run)
    {
        var (latency, steps, videoExtension, underGifs) =
            (options.Latency, Math.Max(0, options.ProgressSteps), options.VideoExtension, options.ReportVideosUnderGifs);
        var story = new RunStory(run, state);
        story.Record("execution_start", ComfyMessages.PromptEvent(run.PromptId));
        story.Record("execution_cached", ComfyMessages.Cached(run.PromptId));

        var order = run.Graph.ExecutionOrder(run.OutputIds);
        var samplers = order.Where(n => NodeCatalog.IsSampler(n.ClassType)).ToList();
        var slow = samplers.Count > 0 ? samplers : [order[0]];
        var failAt = run.Behaviour is FakeBehaviour.ExecutionError e
            ? (e.NodeId is { } id && order.Any(n => n.Id == id) ? id : slow[0].Id)
            : null;
        var progress = new ProgressStates(run.PromptId);

        foreach (var node in order)
        {
            state.EnterNode(run, node.Id, progress.Running(node.Id));
            if (run.InterruptRequested)
            {
                return story.Interrupted(node);
            }
            if (node.Id == failAt && run.Behaviour is FakeBehaviour.ExecutionError error)
            {
                return story.Failed(node, error.ExceptionType, error.Message);
            }
            try
            {
                if (slow.Contains(node))
                {
                    await SampleAsync(run, node, latency / slow.Count, steps, progress).ConfigureAwait(false);
                }
                if (NodeCatalog.IsOutput(node.ClassType) && run.Behaviour is not FakeBehaviour.NoOutput)
                {
                    var empty = run.Behaviour is FakeBehaviour.EmptyOutput;
                    var ui = await outputs.WriteAsync(node, videoExtension, underGifs, empty, silent: run.Behaviour is FakeBehaviour.SilentAudio).ConfigureAwait(false);
                    story.Executed(node, run.Behaviour is FakeBehaviour.HostileName hostile ? OutputNodes.Renamed(ui, hostile.Filename, hostile.Subfolder) : ui);
                }
            }
            catch (OperationCanceledException) when (!state.Killed && run.InterruptRequested)
            {
                return story.Interrupted(node);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A broken option or a failed ffmpeg shows up as the prompt's execution_error, not as a hang.
                return story.Failed(node, ex.GetType().Name, ex.Message);
            }
            state.SendProgress(run, progress.Finished(node.Id));
            story.Done(node.Id);
        }
        return story.Succeeded();
    }

    /// <summary>Spends the node's share of the latency in <paramref name="steps"/> ticks, each reported as a
    /// progress_state update followed by a progress message (main.py hijack_progress order). A Hang prompt stops
    /// after the first tick until it is interrupted.</summary>
    private async Task SampleAsync(PromptRun run, GraphNode node, TimeSpan duration, int steps, ProgressStates progress)
    {
        var hang = run.Behaviour is FakeBehaviour.Hang;
        if (steps == 0)
        {
            await Task.Delay(hang ? Timeout.InfiniteTimeSpan : duration, run.Token).ConfigureAwait(false);
            return;
        }
        for (var step = 1; step <= steps; step++)
        {
            await Task.Delay(duration / steps, run.Token).ConfigureAwait(false);
            state.SendProgress(run, progress.Step(node.Id, step, steps));
            state.SendProgress(run, ComfyMessages.Progress(step, steps, run.PromptId, node.Id));
            if (hang)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, run.Token).ConfigureAwait(false);
            }
        }
    }
}
