namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>One word (token) of a cue and when it is spoken (seconds on the video's timeline); <paramref name="SpaceAfter"/>
/// is false inside a run of Chinese, Japanese or Thai, whose tokens are shown without spaces between them.</summary>
public sealed record TimedWord(double Start, double End, string Text, bool SpaceAfter = true);
