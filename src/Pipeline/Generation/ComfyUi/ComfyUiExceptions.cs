namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>ComfyUI answered, and the answer fails the job: a refused workflow, an execution error, a missing or
/// unusable output. Not retried.</summary>
public class ComfyUiException(string message) : Exception(message);

/// <summary>The instance could not be reached or could not serve (connection refused or reset, 502/503/504, a timed-out
/// call, a prompt lost to a restart): the prompt is tried again, on another instance when there is one.</summary>
public sealed class ComfyUiUnavailableException(ComfyUiInstance instance, string reason)
    : ComfyUiException($"ComfyUI at {instance.Display} is unavailable: {reason}")
{
    public ComfyUiInstance Instance { get; } = instance;

    public string Reason { get; } = reason;
}
