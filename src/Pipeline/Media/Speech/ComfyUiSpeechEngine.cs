using System.Text;
using VideoAkka.Pipeline.Generation.ComfyUi;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>
/// A ComfyUI speech workflow (videoakka.comfyui.speech.NAME, picked by options.voice.name) run on the ComfyUI backend:
/// each sentence is one prompt, with the sentence bound to the template's text input, placed on a GPU slot like the
/// scenes' prompts (<see cref="ComfyUiPromptRunner"/>). The audio the workflow saves (SaveAudio's flac, SaveAudioMP3,
/// SaveAudioOpus) is fetched under our own name and decoded by ffmpeg into the PCM WAV the narrator checks, with the
/// demuxer named from its extension (never guessed: the bytes are a remote server's).
/// </summary>
public sealed class ComfyUiSpeechEngine(ComfyUiPromptRunner prompts, ToolRunner tools) : ITextToSpeech
{
    /// <summary>Without a clock (a caller other than the narrator): the wait for a GPU slot pauses nothing.</summary>
    private static readonly IProgress<double> NoClock = new Progress<double>();

    public string Name => VoiceChoice.ComfyUi;

    public Task SpeakAsync(SpeechPiece piece, CancellationToken cancellationToken) => SpeakAsync(piece, NoClock, cancellationToken);

    /// <param name="clock">The piece's clock (<see cref="PiecesClock"/>): paused while the prompt waits for a GPU slot.</param>
    public async Task SpeakAsync(SpeechPiece piece, IProgress<double> clock, CancellationToken cancellationToken)
    {
        if (piece.Voice.Name is not { } name || !prompts.Settings.Speech.TryGetValue(name, out var template))
        {
            // The API refuses names it does not have; a worker configured differently says so here.
            throw new SpeechRefusedException($"the ComfyUI speech workflow {(piece.Voice.Name is null ? "(none named)" : $"\"{piece.Voice.Name}\"")} is not configured on this worker (videoakka.comfyui.speech)");
        }
        // The job folder's name is its run id: ComfyUI's files for this job sit together in its output folder.
        var run = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(piece.Folder)))!;
        var values = new Dictionary<WorkflowInput, object>
        {
            [WorkflowInput.Text] = piece.Text,
            [WorkflowInput.Speed] = piece.Voice.Rate ?? 1.0,
            [WorkflowInput.Seed] = Seed($"{run}/{piece.Name}"),
            [WorkflowInput.FilenamePrefix] = $"videoakka/{run}/speech/{piece.Name}",
        };
        string answer;
        try
        {
            answer = await prompts.RunAsync(
                new ComfyUiPrompt(template, "speech", ComfyUiOutputKind.Audio, (_, _) => Task.FromResult(values),
                    extension => Path.Combine(piece.Folder, $"{piece.Name}.comfyui{extension}")),
                clock, cancellationToken).ConfigureAwait(false);
        }
        catch (ComfyUiException ex)
        {
            throw new SpeechRefusedException($"{ex.Message} (speaking {SpeechChecks.Quote(piece.Text)})");
        }
        var extension = Path.GetExtension(answer);
        try
        {
            await tools.RunAsync(tools.Settings.Ffmpeg,
                ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", Demuxer(extension), "-i", Path.GetFileName(answer),
                 "-vn", "-t", MaxSeconds(piece.Text), "-ac", "1", "-c:a", "pcm_s16le", piece.Name + ".wav"],
                piece.Folder, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaToolException ex)
        {
            throw new SpeechRefusedException($"the ComfyUI speech workflow \"{name}\" saved {extension} audio that ffmpeg cannot read: {ex.StderrTail}");
        }
        finally
        {
            File.Delete(answer);
        }
    }

    /// <summary>The most of an answer kept: far more than any voice takes to say the text (half a second a character,
    /// and 30 s more), so a small compressed file of silence cannot decode into gigabytes of WAV.</summary>
    private static string MaxSeconds(string text) => (30 + text.Length / 2).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>ffmpeg's demuxer for the audio a save node writes; anything else is refused before ffmpeg sees it.</summary>
    private static string Demuxer(string extension) => extension switch
    {
        ".flac" => "flac",
        ".mp3" => "mp3",
        ".opus" or ".ogg" => "ogg",
        ".wav" => "wav",
        _ => throw new SpeechRefusedException($"the ComfyUI speech workflow saved a {extension} file, which is not audio this service reads (flac, mp3, opus, ogg, wav)"),
    };

    /// <summary>A seed fixed by the job and the sentence (FNV-1a), for workflows whose model samples: the same
    /// sentence of the same job is spoken the same way when it is spoken again.</summary>
    private static long Seed(string key)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }
        return hash;
    }
}
