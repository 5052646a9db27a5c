using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Speech;
using VideoAkka.Pipeline.Media.Captions;

namespace VideoAkka.Tests.Integration;

/// <summary>Issue 13: words are timed inside their piece whatever the text holds, and markdown and emoji that are not
/// spoken never move the speech.</summary>
public sealed class WordTimingSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("videoakka-words-").FullName;
    private readonly ToolRunner _tools = new(MediaToolSettings.Default);

    [Theory]
    [InlineData("The keeper lights the lamp at dusk.")]
    [InlineData("Dr. Smith paid $3.50 at 10:30, e.g. for tea & <cake> — fine.")]
    [InlineData("Supercalifragilisticexpialidocious!")]
    public async Task Every_word_of_a_piece_gets_one_time_in_order_inside_the_piece(string piece)
    {
        var words = await new EspeakWordTimer(_tools).TimeAsync(piece, 5, 3, "en", _folder, default);

        Assert.Equal(CaptionText.Words(piece).ToArray(), words.Select(w => w.Text).ToArray());
        Assert.InRange(words[0].Start, 5, 5.3);
        Assert.All(words.Zip(words.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start + 1e-9 && pair.First.Start < pair.Second.Start));
        Assert.InRange(words[^1].End, 7, 8);
        Assert.Empty(Directory.GetFiles(_folder)); // the measuring files are gone
    }

    [Fact]
    public async Task Markdown_and_emoji_in_the_script_are_neither_spoken_nor_shown()
    {
        var voice = new Narrator(_tools, SpeechSettings.Default, [new EspeakEngine(_tools)]);
        var marked = await voice.SpeakAsync("**Launch** day 🚀 is _here_.\n# Ships ✨ come `home`.", VoiceChoice.EspeakVoice("en"), new JobFolder(Dir("marked")), new Progress<double>(), default);
        var plain = await voice.SpeakAsync("Launch day is here.\nShips come home.", VoiceChoice.EspeakVoice("en"), new JobFolder(Dir("plain")), new Progress<double>(), default);

        Assert.Equal(["Launch day is here.", "Ships come home."], marked.Cues.Select(c => c.Text).ToArray());
        Assert.Equal(plain.Cues.Select(c => (c.Start, c.End)), marked.Cues.Select(c => (c.Start, c.End)));
    }

    private string Dir(string name) => Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
