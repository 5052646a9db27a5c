namespace VideoAkka.Pipeline.Media.Qc;

/// <summary>Measures a render against what the job asked for: <see cref="QualityCheck"/> (ffprobe, ffmpeg), or the
/// null backend's, which measures nothing.</summary>
public interface IQualityCheck
{
    Task<QcReport> CheckAsync(string folder, string videoFile, QcExpectations expected, CancellationToken cancellationToken);
}
