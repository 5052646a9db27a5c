namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>One shown and timed piece of a caption: a word where the script puts spaces between words, a character
/// (or a kinsoku-bound group) in Chinese and Japanese, a dictionary word in Thai. <paramref name="SpaceAfter"/> says
/// whether it is joined to the next one by a space or by nothing, so CJK and Thai lines are not spaced out.</summary>
public sealed record CaptionToken(string Text, bool SpaceAfter);
