using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>One text-to-speech engine. It speaks one sentence into a PCM WAV file; the <see cref="Narrator"/> checks
/// it, times the cue from it and joins the sentences.</summary>
public interface ITextToSpeech
{
    /// <summary>What options.voice.engine calls it.</summary>
    string Name { get; }

    /// <summary>Writes <see cref="SpeechPiece.WavPath"/>, 16-bit PCM, or throws <see cref="SpeechRefusedException"/>
    /// with a reason a client can read.</summary>
    Task SpeakAsync(SpeechPiece piece, CancellationToken cancellationToken);

    /// <summary>As <see cref="SpeakAsync(SpeechPiece, CancellationToken)"/>, given the piece's clock: an engine that
    /// waits for a shared resource (a GPU slot) pauses it meanwhile (<see cref="Generation.ClockPause"/>).</summary>
    Task SpeakAsync(SpeechPiece piece, IProgress<double> clock, CancellationToken cancellationToken) => SpeakAsync(piece, cancellationToken);
}

/// <summary>One sentence to speak, and where: <paramref name="Folder"/>/<paramref name="Name"/>.wav.</summary>
public sealed record SpeechPiece(string Text, VoiceChoice Voice, string Folder, string Name)
{
    public string WavPath => Path.Combine(Folder, Name + ".wav");
}

/// <summary>The engine answered, but not with speech we can use: empty, silent, cut short, an HTTP error. The message
/// is the job's error; it never carries a key or a URL.</summary>
public sealed class SpeechRefusedException(string message) : SpeechException(message);

/// <summary>Anything an engine reports about its answer (as opposed to our own faults).</summary>
public abstract class SpeechException(string message) : Exception(message);
