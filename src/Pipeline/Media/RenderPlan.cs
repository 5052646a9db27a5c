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
    RenderSettings Settings);
