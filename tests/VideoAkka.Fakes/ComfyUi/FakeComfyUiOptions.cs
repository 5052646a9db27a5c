namespace VideoAkka.Fakes;

/// <summary>How the fake behaves. A test may change these while the fake runs: <see cref="Parallel"/> is read
/// whenever a prompt could start, <see cref="Behaviour"/> when a prompt is posted, the rest when a prompt starts.</summary>
public sealed class FakeComfyUiOptions
{
    /// <summary>Prompts executed at once. A real ComfyUI runs exactly one (a single worker thread).</summary>
    public int Parallel { get; set; } = 1;

    /// <summary>How long one prompt runs (spread over its sampler-like nodes).</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How many <c>progress</c> messages each sampler-like node sends (or the first node, if the graph
    /// has no sampler), evenly spread over <see cref="Latency"/>.</summary>
    public int ProgressSteps { get; set; } = 4;

    /// <summary>Decides, per posted prompt, what happens to it. Default: it succeeds.</summary>
    public Func<FakeSubmission, FakeBehaviour> Behaviour { get; set; } = _ => new FakeBehaviour.Succeed();

    /// <summary>What the video save nodes (SaveVideo, SaveWEBM, SaveAnimatedWEBP, VHS_VideoCombine) write:
    /// "mp4" (h264 yuv420p), "webm" (vp9), "webp" (animated) or "gif". The test picks the format the client
    /// must cope with, whatever node the workflow uses.</summary>
    public string VideoExtension { get; set; } = "mp4";

    /// <summary>Report every video under <c>gifs</c> with VHS_VideoCombine's shape and naming, as if the
    /// workflow's save node were the VideoHelperSuite one. VHS_VideoCombine itself always reports this way.</summary>
    public bool ReportVideosUnderGifs { get; set; }

    /// <summary>Where input/, output/ and temp/ live. Null: a fresh temporary folder, written back here at start,
    /// so a test that restarts the fake with the same options object finds its output files again (as a real
    /// server finds them on disk after a restart).</summary>
    public string? DataDirectory { get; set; }
}
