namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// How far a job is: each scene's image and clip, the voiceover, the subtitles and the render are parts of known
/// weight, each 0..1 done. Owned by the job's <see cref="JobActor"/>, which alone reports to it.
/// </summary>
public sealed class JobProgress(int sceneCount)
{
    private const double RenderWeight = 2;
    private readonly Dictionary<string, double> _done = [];
    private readonly double _totalWeight = 2.0 * sceneCount + 1 + 0.25 + RenderWeight + 0.25;

    public static string ImagePart(int scene) => $"image:{scene}";

    public static string ClipPart(int scene) => $"clip:{scene}";

    public const string VoiceoverPart = "voiceover";
    public const string SubtitlePart = "subtitle";
    public const string RenderPart = "render";
    public const string QcPart = "qc";

    /// <summary>Records a part's fraction and returns the job's overall fraction.</summary>
    public double Report(string part, double fraction)
    {
        fraction = Math.Clamp(double.IsFinite(fraction) ? fraction : 0, 0, 1);
        _done[part] = Math.Max(fraction, _done.GetValueOrDefault(part));
        var sum = 0.0;
        foreach (var (key, value) in _done)
        {
            sum += Weight(key) * value;
        }
        return Math.Min(1, sum / _totalWeight);
    }

    private static double Weight(string part) => part switch
    {
        RenderPart => RenderWeight,
        SubtitlePart or QcPart => 0.25,
        _ => 1,
    };
}
