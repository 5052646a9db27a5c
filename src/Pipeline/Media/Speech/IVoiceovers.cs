using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>Speaks a job's script into its folder: the <see cref="Narrator"/>, or the null backend's placeholder.</summary>
public interface IVoiceovers
{
    Task<Voiceover> SpeakAsync(string script, VoiceChoice voice, JobFolder folder, IProgress<double> progress, CancellationToken cancellationToken);
}
