using VideoAkka.Pipeline.Generation;

namespace VideoAkka.Pipeline.Graph;

/// <summary>A scene waiting for its image: what the per-job fan-out emits.</summary>
public sealed record SceneWork(JobRun Job, SceneTask Scene);

/// <summary>A scene whose image is made, waiting for its clip.</summary>
public sealed record SceneImaged(JobRun Job, SceneTask Scene, string ImagePath) : JobPart(Job);
