using System.Globalization;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>espeak-ng, local and always available: the default engine.</summary>
public sealed class EspeakEngine(ToolRunner tools) : ITextToSpeech
{
    /// <summary>espeak-ng's own default pace, in words per minute: rate 1.</summary>
    private const int NormalWordsPerMinute = 175;

    public string Name => VoiceChoice.Espeak;

    public async Task SpeakAsync(SpeechPiece piece, CancellationToken cancellationToken)
    {
        // The text goes through a file, never the command line: it is the client's, and may start with '-'.
        await File.WriteAllTextAsync(Path.Combine(piece.Folder, piece.Name + ".txt"), piece.Text, cancellationToken).ConfigureAwait(false);
        List<string> arguments = ["-v", piece.Voice.Name ?? "en"];
        if (piece.Voice.Rate is { } rate)
        {
            arguments.AddRange(["-s", ((int)Math.Round(NormalWordsPerMinute * rate)).ToString(CultureInfo.InvariantCulture)]);
        }
        arguments.AddRange(["-f", piece.Name + ".txt", "-w", piece.Name + ".wav"]);
        await tools.RunAsync(tools.Settings.EspeakNg, arguments, piece.Folder, cancellationToken).ConfigureAwait(false);
    }
}
