namespace VideoAkka.Pipeline.Media;

/// <summary>One subtitle: the text shown from <paramref name="Start"/> to <paramref name="End"/> (seconds).</summary>
public sealed record SubtitleCue(double Start, double End, string Text);
