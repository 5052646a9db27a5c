namespace VideoAkka.Pipeline.Media.Qc;

/// <summary>What a job's render should be, from what the job asked for and made before it.</summary>
/// <param name="DurationSeconds">The narration's length (or the clips', with no voiceover): the video's length.</param>
/// <param name="Narrated">A voiceover was laid: the audio must be speech, in the loudness range. Without one the audio
/// track is silence by design and its loudness is not checked.</param>
/// <param name="SubtitleFile">The subtitle file the render burned (a name in the job folder), or null when none was
/// asked for.</param>
public sealed record QcExpectations(double DurationSeconds, bool Narrated, string? SubtitleFile);
