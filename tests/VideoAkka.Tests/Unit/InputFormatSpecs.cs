using System.Text;
using VideoAkka.Pipeline.Media;

namespace VideoAkka.Tests.Unit;

/// <summary>ffmpeg is told what a file from outside is, from its first bytes; it never guesses.</summary>
public sealed class InputFormatSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("videoakka-sniff-").FullName;

    private string File(params byte[] head)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        System.IO.File.WriteAllBytes(path, [.. head, .. new byte[16]]);
        return path;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void A_png_is_read_as_a_png_whatever_its_name() => Assert.Equal("png_pipe", InputFormat.Image(File([0x89, .. Ascii("PNG\r\n\x1a\n")])));

    [Fact]
    public void A_jpeg_is_read_as_a_jpeg() => Assert.Equal("jpeg_pipe", InputFormat.Image(File(0xFF, 0xD8, 0xFF, 0xE0)));

    [Fact]
    public void A_webp_is_read_as_a_webp() => Assert.Equal("webp_pipe", InputFormat.Image(File([.. Ascii("RIFF"), 1, 2, 3, 4, .. Ascii("WEBP")])));

    [Fact]
    public void An_hls_playlist_is_no_image_however_it_was_served() =>
        Assert.Contains("is not a PNG, JPEG, WebP, GIF or BMP image", Assert.Throws<InvalidDataException>(() => InputFormat.Image(File(Ascii("#EXTM3U\n#EXTINF:1,\n/etc/x.ts\n")))).Message);

    [Fact]
    public void An_svg_is_no_image_to_decode() =>
        Assert.Throws<InvalidDataException>(() => InputFormat.Image(File(Ascii("<svg xmlns=\"http://www.w3.org/2000/svg\">"))));

    [Theory]
    [InlineData("ftyp")]
    [InlineData("moov")]
    [InlineData("mdat")]
    [InlineData("wide")]
    public void An_iso_media_file_is_read_as_mov(string firstAtom) => Assert.Equal("mov", InputFormat.Video(File([0, 0, 0, 24, .. Ascii(firstAtom), .. Ascii("isom")])));

    [Fact]
    public void A_webm_is_read_as_matroska() => Assert.Equal("matroska", InputFormat.Video(File(0x1A, 0x45, 0xDF, 0xA3)));

    [Fact]
    public void An_animated_png_clip_is_read_as_apng() => Assert.Equal("apng", InputFormat.Video(File([0x89, .. Ascii("PNG\r\n\x1a\n")])));

    [Fact]
    public void A_file_shorter_than_a_header_is_neither()
    {
        var path = Path.Combine(_folder, "short");
        System.IO.File.WriteAllBytes(path, [0x1A, 0x45]);

        Assert.Throws<InvalidDataException>(() => InputFormat.Video(path));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
