using System.Collections.Immutable;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;

namespace VideoAkka.Pipeline.Graph;

/// <summary>What an earlier run of a job made that is still good: these parts are not made again.</summary>
public sealed record ResumedParts(
    ImmutableHashSet<int> Images,
    ImmutableHashSet<int> Clips,
    Voiceover? Voiceover,
    string? FinalVideo)
{
    public static ResumedParts None { get; } = new([], [], null, null);

    public bool IsEmpty => Images.IsEmpty && Clips.IsEmpty && Voiceover is null && FinalVideo is null;

    /// <summary>Keeps each part named in the history only if its file is still in the folder and ffprobe reads it
    /// (a part half-written by a killed worker, or deleted since, is made again).</summary>
    public static async Task<ResumedParts> CheckAsync(JobHistory history, JobFolder folder, int sceneCount, Ffprobe probe, CancellationToken cancellationToken)
    {
        if (history.Starts == 0)
        {
            return None;
        }
        var images = ImmutableHashSet.CreateBuilder<int>();
        var clips = ImmutableHashSet.CreateBuilder<int>();
        for (var scene = 1; scene <= sceneCount; scene++)
        {
            if (history.Clips.TryGetValue(scene, out var clip) && clip == JobFolder.VideoName(scene)
                && await probe.HasStreamAsync(folder.Video(scene), "video", cancellationToken).ConfigureAwait(false))
            {
                clips.Add(scene);
            }
            if (history.Images.TryGetValue(scene, out var image) && image == JobFolder.ImageName(scene)
                && await probe.HasStreamAsync(folder.Image(scene), "video", cancellationToken).ConfigureAwait(false))
            {
                images.Add(scene);
            }
        }
        Voiceover? voiceover = null;
        if (history.Voiceover is { } spoken && spoken.File == JobFolder.VoiceoverName
            && await probe.HasStreamAsync(folder.Voiceover, "audio", cancellationToken).ConfigureAwait(false))
        {
            voiceover = new Voiceover(folder.Voiceover, spoken.DurationSeconds, [.. spoken.Cues.Select(c => new SubtitleCue(c.Start, c.End, c.Text))]);
        }
        var finalVideo = history.Rendered == JobFolder.FinalVideoName && clips.Count == sceneCount
            && await probe.HasStreamAsync(folder.FinalVideo, "video", cancellationToken).ConfigureAwait(false)
            ? folder.FinalVideo
            : null;
        return new ResumedParts(images.ToImmutable(), clips.ToImmutable(), voiceover, finalVideo);
    }
}
