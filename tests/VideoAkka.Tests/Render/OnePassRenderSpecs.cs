using System.Globalization;
using CliWrap;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Speech;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Render;

/// <summary>
/// The final render's one ffmpeg pass on real files: clips of other sizes and frame rates come out at the job's
/// frame and rate with no black frame, as long as the narration; music sits under the voice and the mix is at the
/// loudness target.
/// </summary>
public sealed class OnePassRenderSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("videoakka-render-").FullName;
    private readonly ToolRunner _tools = new(MediaToolSettings.Default);
    private static readonly VideoFormat Format = new(360, 640, 30);

    /// <summary>A test pattern clip with no black in it (testsrc2 is coloured everywhere).</summary>
    private async Task<string> ClipAsync(string name, string size, int fps, double seconds)
    {
        await Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-y", "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=s={size}:r={fps}:d={seconds}"),
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", name]).WithWorkingDirectory(_folder).ExecuteAsync();
        return name;
    }

    private async Task<string> RenderAsync(RenderPlan plan, string name)
    {
        var made = await new FinalRenderer(_tools).RenderAsync(plan, new Progress<double>(), default);
        var target = Path.Combine(_folder, name);
        File.Move(made, target);
        return target;
    }

    private async Task<(RenderPlan Plan, Voiceover Voice)> ThreeOddClipsAsync()
    {
        string[] clips = [await ClipAsync("a.mp4", "320x240", 15, 2), await ClipAsync("b.mp4", "640x360", 30, 3), await ClipAsync("c.mp4", "200x400", 24, 1)];
        var voice = await new Narrator(_tools, SpeechSettings.Default, [new EspeakEngine(_tools)]).SpeakAsync("Three clips of different sizes. Each at its own frame rate. One frame comes out.", VoiceChoice.EspeakVoice("en"),
            new JobFolder(_folder), new Progress<double>(), default);
        return (new RenderPlan(_folder, [.. clips], "voiceover.mp3", null, voice.DurationSeconds, Format, RenderSettings.Default), voice);
    }

    [Theory]
    [InlineData(FitMode.Cover, ClipFill.Hold, false)]
    [InlineData(FitMode.Contain, ClipFill.Loop, true)]
    public async Task Clips_of_three_sizes_and_rates_render_at_the_frame_and_rate_with_no_black_frame_as_long_as_the_voice(FitMode fit, ClipFill fill, bool fade)
    {
        var (plan, voice) = await ThreeOddClipsAsync();

        var output = await RenderAsync(plan with { Options = new RenderOptions(fit, fill, fade ? new SceneTransition(0.5) : null) }, "out.mp4");

        var info = await MediaInfo.ProbeAsync(output);
        Assert.Equal((360, 640), (info.Video.Width, info.Video.Height));
        Assert.Equal(30, await RenderMeasures.FrameRateAsync(output), 2);
        Assert.InRange(info.Video.Duration, voice.DurationSeconds - 0.1, voice.DurationSeconds + 0.1);
        Assert.Empty(await RenderMeasures.BlackStretchesAsync(output));
    }

    [Fact]
    public async Task Scene_texts_share_the_video_by_their_speech()
    {
        var (plan, voice) = await ThreeOddClipsAsync();
        var seconds = SceneShares.FromSceneTexts(["Three clips of different sizes.", "Each at its own frame rate.", "One frame comes out."], voice.Cues, voice.DurationSeconds);

        Assert.NotNull(seconds);
        Assert.Equal(voice.Cues.Select(c => c.End - c.Start), seconds.Value, (a, b) => Math.Abs(a - b) < 0.001);
        var output = await RenderAsync(plan with { SceneSeconds = seconds.Value }, "texts.mp4");
        Assert.InRange((await MediaInfo.ProbeAsync(output)).Video.Duration, voice.DurationSeconds - 0.1, voice.DurationSeconds + 0.1);
    }

    /// <summary>Speech, three seconds of silence, speech; under it a steady 15 kHz tone as the music. espeak-ng speaks
    /// at 22.05 kHz, so nothing of the voice is above 11 kHz: a 13 kHz high-pass hears the music alone.</summary>
    private async Task<(string Output, double PauseStart, double SecondStart, double Duration)> SpeechPauseSpeechWithToneAsync()
    {
        var first = await new Narrator(_tools, SpeechSettings.Default, [new EspeakEngine(_tools)]).SpeakAsync("The music drops while the voice speaks. It comes back in the pause.", VoiceChoice.EspeakVoice("en"),
            new JobFolder(_folder), new Progress<double>(), default);
        File.Move(first.Path, Path.Combine(_folder, "first.mp3"));
        const double pause = 3;
        await Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-y", "-i", "first.mp3", "-filter_complex",
            "[0:a]aresample=22050,asplit=2[x][y];anullsrc=r=22050:cl=mono,atrim=duration=3[gap];[x][gap][y]concat=n=3:v=0:a=1", "voice.wav"])
            .WithWorkingDirectory(_folder).ExecuteAsync();
        await Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=15000:r=48000:d=5", "tone.wav"])
            .WithWorkingDirectory(_folder).ExecuteAsync();
        var duration = 2 * first.DurationSeconds + pause;
        var plan = new RenderPlan(_folder, [await ClipAsync("a.mp4", "360x640", 30, 2)], "voice.wav", null, duration, Format, RenderSettings.Default)
        {
            Music = new MusicInput(Path.Combine(_folder, "tone.wav"), "wav"), // 5 s: looped under the 12 s narration
        };
        return (await RenderAsync(plan, "music.mp4"), first.DurationSeconds, first.DurationSeconds + pause, duration);
    }

    [Fact]
    public async Task The_music_under_speech_is_at_least_8_dB_below_its_level_in_a_pause()
    {
        var (output, pauseStart, secondStart, duration) = await SpeechPauseSpeechWithToneAsync();

        const string musicOnly = "highpass=f=13000,highpass=f=13000";
        // The pause's second half (the compressor has let go); the second sentence, clear of the fade-out.
        var inPause = await RenderMeasures.BandLevelAsync(output, musicOnly, pauseStart + 1.5, secondStart - 0.1);
        var underSpeech = await RenderMeasures.BandLevelAsync(output, musicOnly, secondStart + 0.5, Math.Min(duration - 2, secondStart + 3));
        Assert.True(inPause > -60, $"the music is not heard in the pause ({inPause:0.0} dB)");
        Assert.True(inPause - underSpeech >= 8, $"music in the pause {inPause:0.0} dB, under speech {underSpeech:0.0} dB");
    }

    [Fact]
    public async Task The_mix_of_voice_and_music_is_at_minus_14_LUFS_with_true_peaks_under_minus_1_dBTP()
    {
        var (output, _, _, _) = await SpeechPauseSpeechWithToneAsync();

        var (integrated, truePeak) = await RenderMeasures.LoudnessAsync(output);

        Assert.InRange(integrated, -15, -13);
        Assert.True(truePeak <= -1, $"true peak {truePeak} dBTP");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
