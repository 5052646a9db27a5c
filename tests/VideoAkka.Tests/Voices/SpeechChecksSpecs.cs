using CliWrap;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Speech;

namespace VideoAkka.Tests.Voices;

/// <summary>Every spoken sentence is checked before it is used: silence or audio far shorter than its text fails.</summary>
public sealed class SpeechChecksSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("videoakka-speech-checks-").FullName;

    private async Task<string> MakeAsync(string name, params string[] ffmpegInput)
    {
        var path = Path.Combine(_folder, name);
        await Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-y", .. ffmpegInput, "-c:a", "pcm_s16le", path]).ExecuteAsync();
        return path;
    }

    [Fact]
    public async Task Real_speech_passes_and_its_length_is_the_wavs()
    {
        const string text = "A real sentence, really spoken.";
        var wav = Path.Combine(_folder, "speech.wav");
        await Cli.Wrap("espeak-ng").WithArguments(["-v", "en", "-w", wav, text]).ExecuteAsync();

        Assert.Equal(WavDuration.Seconds(wav), SpeechChecks.Verify(wav, text, SpeechCheckSettings.Default), 6);
    }

    [Fact]
    public async Task Silence_is_refused()
    {
        var wav = await MakeAsync("silence.wav", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "3");

        var refused = Assert.Throws<SpeechRefusedException>(() => SpeechChecks.Verify(wav, "Some words here.", SpeechCheckSettings.Default));
        Assert.Contains("is silence", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audio_far_shorter_than_its_text_is_refused()
    {
        var wav = await MakeAsync("short.wav", "-f", "lavfi", "-i", "sine=frequency=300:duration=0.2");

        var refused = Assert.Throws<SpeechRefusedException>(() =>
            SpeechChecks.Verify(wav, "This sentence has far too many letters for a fifth of a second.", SpeechCheckSettings.Default));
        Assert.Contains("is too short", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_piece_with_nothing_to_speak_may_be_quiet()
    {
        var wav = await MakeAsync("quiet.wav", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "0.3");

        Assert.Equal(0.3, SpeechChecks.Verify(wav, "🎉 — ...", SpeechCheckSettings.Default), 2);
    }

    [Fact]
    public void Chinese_characters_each_count_for_more_time_than_a_latin_letter_and_punctuation_for_none()
    {
        var settings = SpeechCheckSettings.Default;
        Assert.Equal(4 / settings.MaxCjkPerSecond, SpeechChecks.ShortestSeconds("你好世界。", settings), 6);
        Assert.Equal(5 / settings.MaxLettersPerSecond, SpeechChecks.ShortestSeconds("Hello!!! 🎉 —", settings), 6);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
