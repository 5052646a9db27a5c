namespace VideoAkka.Pipeline.Media;

/// <summary>Where the media tools are and how a cancelled one is stopped.</summary>
/// <param name="KillGrace">After cancellation a tool first gets SIGINT (ffmpeg then closes its output cleanly);
/// if it is still running after this long, it is killed.</param>
public sealed record MediaToolSettings(string Ffmpeg, string Ffprobe, string EspeakNg, TimeSpan KillGrace)
{
    public static MediaToolSettings Default { get; } = new("ffmpeg", "ffprobe", "espeak-ng", TimeSpan.FromSeconds(2));
}
