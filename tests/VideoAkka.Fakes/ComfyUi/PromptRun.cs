using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>An accepted prompt, from the queue to its history entry.</summary>
internal sealed class PromptRun : IDisposable
{
    private readonly CancellationTokenSource _interrupt = new();
    private readonly CancellationTokenSource _lifetime;

    public PromptRun(FakeSubmission submission, FakeBehaviour behaviour, Valid valid, JsonObject extraData, long sequence, CancellationToken kill)
    {
        Submission = submission;
        Behaviour = behaviour;
        Graph = valid.Graph;
        OutputIds = valid.OutputIds;
        ExtraData = extraData;
        Sequence = sequence;
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(_interrupt.Token, kill);
    }

    public FakeSubmission Submission { get; }
    public FakeBehaviour Behaviour { get; }
    public FakeGraph Graph { get; }
    public IReadOnlyList<string> OutputIds { get; }
    public JsonObject ExtraData { get; }

    /// <summary>Breaks ties between equal queue numbers: first posted, first run.</summary>
    public long Sequence { get; }

    public string PromptId => Submission.PromptId;
    public string? ClientId => Submission.ClientId;

    /// <summary>The node now executing; read by a reconnecting socket. Written only under the state lock.</summary>
    public string? CurrentNode { get; set; }

    public bool InterruptRequested => _interrupt.IsCancellationRequested;

    /// <summary>Cancelled by an interrupt of this prompt or by killing the fake.</summary>
    public CancellationToken Token => _lifetime.Token;

    /// <summary>Call outside the state lock: cancelling runs the run's continuations inline.</summary>
    public void RequestInterrupt() => _interrupt.Cancel();

    /// <summary>The queue item: [number, prompt_id, graph, extra_data, outputs_to_execute].</summary>
    public JsonArray QueueItem() => new(
        Submission.Number,
        PromptId,
        JsonNode.Parse(Submission.Graph.GetRawText()),
        ExtraData.DeepClone(),
        new JsonArray([.. OutputIds.Select(id => (JsonNode)id)]));

    /// <summary>Unhooks the run from the kill token. The interrupt source is left undisposed on purpose: a late
    /// POST /interrupt may still cancel it, harmlessly, after the run ended.</summary>
    public void Dispose() => _lifetime.Dispose();
}
