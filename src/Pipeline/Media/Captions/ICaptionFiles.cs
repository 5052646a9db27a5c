using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>Writes a job's caption files and returns the path the render burns: the <see cref="CaptionWriter"/>, or
/// the null backend's placeholder.</summary>
public interface ICaptionFiles
{
    Task<string> WriteAsync(IReadOnlyList<SubtitleCue> cues, CaptionOptions options, VideoFormat format, string? voice,
        JobFolder folder, CancellationToken cancellationToken);
}
