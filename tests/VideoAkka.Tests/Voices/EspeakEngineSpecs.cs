using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Speech;

namespace VideoAkka.Tests.Voices;

/// <summary>espeak-ng behind the engine interface: the voice's rate is its pace.</summary>
public sealed class EspeakEngineSpecs : IDisposable
{
    private const string Sentence = "A sentence spoken at two different paces.";

    private readonly string _folder = Directory.CreateTempSubdirectory("videoakka-espeak-engine-").FullName;

    private async Task<double> SpeakAsync(string name, double? rate)
    {
        var piece = new SpeechPiece(Sentence, new VoiceChoice("espeak", "en", rate), _folder, name);
        await new EspeakEngine(new ToolRunner(MediaToolSettings.Default)).SpeakAsync(piece, default);
        return WavDuration.Seconds(piece.WavPath);
    }

    [Fact]
    public async Task Twice_the_rate_speaks_the_same_sentence_in_clearly_less_time()
    {
        var normal = await SpeakAsync("normal", null);
        var fast = await SpeakAsync("fast", 2.0);

        Assert.InRange(fast, 0.3 * normal, 0.75 * normal);
        // and the checks allow a voice asked to go fast its pace (espeak-ng at rate 2 says ~29 letters a second)
        SpeechChecks.Verify(Path.Combine(_folder, "fast.wav"), Sentence, SpeechCheckSettings.Default with { MaxLettersPerSecond = 20 }, rate: 2);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
