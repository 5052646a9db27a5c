namespace VideoAkka.Pipeline.Jobs;

/// <summary>The pixel size and frame rate every clip of a job is made at.</summary>
public sealed record VideoFormat(int Width, int Height, int Fps);
