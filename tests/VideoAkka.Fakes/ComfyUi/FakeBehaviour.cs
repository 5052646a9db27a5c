namespace VideoAkka.Fakes;

/// <summary>What the fake does with one posted prompt. Chosen per prompt by <see cref="FakeComfyUiOptions.Behaviour"/>.</summary>
public abstract record FakeBehaviour
{
    private FakeBehaviour()
    {
    }

    /// <summary>Runs every node and writes its outputs.</summary>
    public sealed record Succeed : FakeBehaviour;

    /// <summary>Fails at run time when node <paramref name="NodeId"/> executes (null: the first sampler-like node,
    /// else the first node): <c>execution_error</c>, history <c>status_str "error"</c>, <c>completed false</c>.
    /// Outputs of nodes that ran before it are kept, as in the real server.</summary>
    public sealed record ExecutionError(
        string? NodeId = null,
        string ExceptionType = "torch.OutOfMemoryError",
        string Message = "Allocation on device 0 would exceed allowed memory.") : FakeBehaviour;

    /// <summary>Never finishes on its own: the sampler-like node sends one progress step and then waits until the
    /// prompt is interrupted (or the fake is stopped).</summary>
    public sealed record Hang : FakeBehaviour;

    /// <summary>POST /prompt is refused with 400 <c>prompt_outputs_failed_validation</c>, the error sitting on node
    /// <paramref name="NodeId"/> (null: the first output node). If that node feeds only some outputs, the others are
    /// queued and the answer is 200 with a non-empty <c>node_errors</c>, as the real server does.</summary>
    public sealed record ValidationError(
        string? NodeId = null,
        string ErrorType = "value_not_in_list",
        string Message = "Value not in list",
        string Details = "ckpt_name: 'missing.safetensors' not in []",
        string? InputName = "ckpt_name") : FakeBehaviour;

    /// <summary>Succeeds, but every output file is 0 bytes long.</summary>
    public sealed record EmptyOutput : FakeBehaviour;

    /// <summary>Succeeds with <c>outputs: {}</c>: no <c>executed</c> message and no file.</summary>
    public sealed record NoOutput : FakeBehaviour;

    /// <summary>Succeeds, but the audio save nodes write silence (a real, well-formed file of digital silence), as a
    /// speech model that failed quietly does.</summary>
    public sealed record SilentAudio : FakeBehaviour;

    /// <summary>Succeeds and writes its files, but names every output file <paramref name="Filename"/> in
    /// <paramref name="Subfolder"/> in its ui output and history: a hostile or broken server (or custom node).</summary>
    public sealed record HostileName(string Filename, string Subfolder = "") : FakeBehaviour;
}
