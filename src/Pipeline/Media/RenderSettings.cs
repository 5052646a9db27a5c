namespace VideoAkka.Pipeline.Media;

/// <summary>How the final video is encoded, and the level its sound is brought to.</summary>
/// <param name="LoudnessLufs">videoakka.output.loudness: the integrated loudness of the final mix (streaming
/// platforms play at −14 LUFS).</param>
/// <param name="TruePeakDb">videoakka.output.true-peak: the ceiling handed to loudnorm; a little under the −1 dBTP
/// that is promised, because the AAC encoder's rounding can add a few tenths.</param>
/// <param name="MusicGainDb">videoakka.output.music-gain: the music bed's level against full scale before it is
/// ducked and mixed, so a loud master does not fight the voice.</param>
public sealed record RenderSettings(string Preset, int Crf, double LoudnessLufs = -14, double TruePeakDb = -2, double MusicGainDb = -20)
{
    private static readonly string[] Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    public static RenderSettings Default { get; } = new("veryfast", 20);

    public void Validate()
    {
        if (!Presets.Contains(Preset))
        {
            throw new ArgumentException($"videoakka.output.preset must be one of {string.Join(", ", Presets)}, got \"{Preset}\"");
        }
        if (Crf is < 0 or > 51)
        {
            throw new ArgumentException($"videoakka.output.crf must be from 0 to 51, got {Crf}");
        }
        if (LoudnessLufs is < -70 or > -5)
        {
            throw new ArgumentException($"videoakka.output.loudness must be from -70 to -5 LUFS, got {LoudnessLufs}");
        }
        if (TruePeakDb is < -9 or > 0)
        {
            throw new ArgumentException($"videoakka.output.true-peak must be from -9 to 0 dBTP, got {TruePeakDb}");
        }
        if (MusicGainDb is < -60 or > 0)
        {
            throw new ArgumentException($"videoakka.output.music-gain must be from -60 to 0 dB, got {MusicGainDb}");
        }
    }
}
