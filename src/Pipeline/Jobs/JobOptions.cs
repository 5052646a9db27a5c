namespace VideoAkka.Pipeline.Jobs;

/// <summary>The optional "options" object of a job request, with the defaults a request gets when it says nothing.</summary>
public sealed record JobOptions(
    AspectRatio Aspect,
    int? Fps = null,
    string? Voice = null,
    bool Voiceover = true)
{
    public static JobOptions Default { get; } = new(AspectRatio.Portrait);
}
