using VideoAkka.Pipeline.Generation.ComfyUi;

namespace VideoAkka.Tests.Unit;

/// <summary>A ComfyUI output's name is a remote server's: only what ComfyUI itself writes is fetched.</summary>
public sealed class ComfyUiOutputNameSpecs
{
    private static ComfyUiOutputFile File(string filename, string subfolder = "", string type = "output") =>
        new("3", "audio", filename, subfolder, type, Animated: false);

    [Theory]
    [InlineData("piece_001_00001_.flac", "videoakka/run-1/speech", "output")]
    [InlineData("ComfyUI_temp_abcde_00001_.png", "", "temp")]
    [InlineData("AnimateDiff_00002.mp4", "", "output")]
    [InlineData("frame0 (1).png", "videoakka-job1", "input")]
    public void What_ComfyUI_writes_is_fetched(string filename, string subfolder, string type) =>
        Assert.Null(File(filename, subfolder, type).Refusal());

    [Theory]
    [InlineData("../../escape.flac", "", "not a plain file name")]
    [InlineData("..", "", "not a plain file name")]
    [InlineData("/etc/passwd", "", "not a plain file name")]
    [InlineData("a\\b.flac", "", "not a plain file name")]
    [InlineData("c:escape.flac", "", "not a plain file name")]
    [InlineData("line\nbreak.flac", "", "not a plain file name")]
    [InlineData("x.flac", "../..", "leaves its folder")]
    [InlineData("x.flac", "videoakka/../../..", "leaves its folder")]
    [InlineData("x.flac", "/tmp", "leaves its folder")]
    [InlineData("x.flac", "a\\..\\b", "leaves its folder")]
    public void A_name_that_could_reach_outside_its_folder_is_refused_saying_why(string filename, string subfolder, string why) =>
        Assert.Contains(why, File(filename, subfolder).Refusal(), StringComparison.Ordinal);

    [Fact]
    public void An_unknown_folder_type_is_refused() =>
        Assert.Contains("no ComfyUI folder", File("x.flac", "", "models").Refusal(), StringComparison.Ordinal);
}
