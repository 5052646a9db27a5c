using System.Net;
using System.Text.Json;
using CliWrap;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Render;

/// <summary>options.music through the service: a bad choice is refused at submit, a good one ends up under the
/// narration of a finished video at the loudness target.</summary>
public sealed class MusicJobSpecs : IAsyncLifetime
{
    private readonly string _musicFolder = Directory.CreateTempSubdirectory("videoakka-music-").FullName;
    private ServiceUnderTest _service = null!;

    public async Task InitializeAsync()
    {
        await Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=440:r=44100:d=4", "calm.mp3"])
            .WithWorkingDirectory(_musicFolder).ExecuteAsync();
        _service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + $"\nvideoakka.inputs.music.folder = \"{_musicFolder}\"");
    }

    [Theory]
    [InlineData("../calm.mp3")]
    [InlineData("/etc/passwd")]
    [InlineData("jazz")]
    [InlineData("http://127.0.0.1:6379/x.mp3")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    public async Task A_music_choice_that_escapes_the_folder_is_unknown_or_private_is_refused_at_submit(string music)
    {
        using var response = await _service.PostJsonAsync(
            """{"script": "Hello there.", "prompts": ["a cat"], "options": {"music": """ + JsonSerializer.Serialize(music) + "}}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("options.music", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_job_with_music_from_the_music_folder_completes_at_minus_14_LUFS()
    {
        var jobId = await _service.SubmitAsync("""
            {"script": "Music plays under this voice. It drops while the voice speaks.", "prompts": ["a cat", "a dog"],
             "run_id": "with-music", "options": {"music": "calm", "transition": "fade"}}
            """);

        var status = await _service.WaitUntilFinishedAsync(jobId);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        var output = Path.Combine(_service.Folder("with-music"), JobFolder.FinalVideoName);
        var (integrated, truePeak) = await RenderMeasures.LoudnessAsync(output);
        Assert.InRange(integrated, -15, -13);
        Assert.True(truePeak <= -1, $"true peak {truePeak} dBTP");
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        Directory.Delete(_musicFolder, recursive: true);
    }
}
