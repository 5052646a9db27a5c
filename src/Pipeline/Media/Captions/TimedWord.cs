namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>One word of a cue and when it is spoken (seconds on the video's timeline).</summary>
public sealed record TimedWord(double Start, double End, string Text);
