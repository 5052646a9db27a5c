namespace VideoAkka.Pipeline.Media;

/// <summary>Makes a job's final video from its plan: the <see cref="FinalRenderer"/> (ffmpeg), or the null backend's
/// placeholder.</summary>
public interface IFinalRender
{
    Task<string> RenderAsync(RenderPlan plan, IProgress<double> progress, CancellationToken cancellationToken);
}
