using System.Collections.Immutable;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media;

/// <summary>Everything the final render needs, as file names inside <paramref name="Folder"/> (the render runs there,
/// so no path ever has to be escaped inside an ffmpeg filter graph).</summary>
/// <param name="VoiceoverFile">null: a silent audio track is laid instead, so every output has H.264 + AAC.</param>
/// <param name="SubtitleFile">null: no subtitles are burned in.</param>
/// <param name="DurationSeconds">The length of the output: the clips are cut to it, or their last frame held.</param>
public sealed record RenderPlan(
    string Folder,
    ImmutableArray<string> ClipFiles,
    string? VoiceoverFile,
    string? SubtitleFile,
    double DurationSeconds,
    VideoFormat Format,
    RenderSettings Settings)
{
    /// <summary>How long each clip is on screen, one per clip (see <see cref="SceneShares"/>); default: equal shares.</summary>
    public ImmutableArray<double> SceneSeconds { get; init; }

    /// <summary>options.fit, clip_fill, transition (music is <see cref="MusicFile"/>, already fetched).</summary>
    public RenderOptions Options { get; init; } = RenderOptions.Default;

    /// <summary>The music under the narration, a path ffmpeg opens as an input (never inside the filter graph), with
    /// its demuxer named from its first bytes; null: no music.</summary>
    public MusicInput? Music { get; init; }
}

/// <param name="Path">A file the worker owns (the run's folder, the music folder, or a download).</param>
/// <param name="Demuxer">From <see cref="Music.AudioFormat"/>: ffmpeg never guesses a hostile file's format.</param>
public sealed record MusicInput(string Path, string Demuxer);
