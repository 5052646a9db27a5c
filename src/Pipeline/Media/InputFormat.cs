namespace VideoAkka.Pipeline.Media;

/// <summary>
/// Names the ffmpeg demuxer for a file from outside by its first bytes, so ffmpeg never guesses: left to guess, it
/// reads an HLS playlist sent as "image/png" and opens the local files it lists. Anything that is not one of the
/// image or video containers we expect is refused.
/// </summary>
public static class InputFormat
{
    /// <summary>The demuxer for an image (PNG, JPEG, WebP, GIF, BMP).</summary>
    public static string Image(string path) => Sniff(path) switch
    {
        Kind.Png => "png_pipe",
        Kind.Jpeg => "jpeg_pipe",
        Kind.WebP => "webp_pipe",
        Kind.Gif => "gif",
        Kind.Bmp => "bmp_pipe",
        _ => throw new InvalidDataException($"{Path.GetFileName(path)} is not a PNG, JPEG, WebP, GIF or BMP image"),
    };

    /// <summary>The demuxer for a clip (MP4/MOV, WebM/MKV, GIF, animated PNG or WebP, AVI).</summary>
    public static string Video(string path) => Sniff(path) switch
    {
        Kind.IsoMedia => "mov",
        Kind.Matroska => "matroska",
        Kind.Gif => "gif",
        Kind.Png => "apng",
        Kind.WebP => "webp_pipe",
        Kind.Avi => "avi",
        _ => throw new InvalidDataException($"{Path.GetFileName(path)} is not an MP4, WebM, GIF, animated PNG/WebP or AVI video"),
    };

    private enum Kind
    {
        Unknown,
        Png,
        Jpeg,
        WebP,
        Gif,
        Bmp,
        IsoMedia,
        Matroska,
        Avi,
    }

    private static Kind Sniff(string path)
    {
        Span<byte> head = stackalloc byte[12];
        using (var file = File.OpenRead(path))
        {
            if (file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length)
            {
                return Kind.Unknown;
            }
        }
        return head switch
        {
            [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => Kind.Png,
            [0xFF, 0xD8, 0xFF, ..] => Kind.Jpeg,
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P'] => Kind.WebP,
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'A', (byte)'V', (byte)'I', (byte)' '] => Kind.Avi,
            [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => Kind.Gif,
            [(byte)'B', (byte)'M', ..] => Kind.Bmp,
            [_, _, _, _, (byte)'f', (byte)'t', (byte)'y', (byte)'p', ..] => Kind.IsoMedia,
            // Older QuickTime files may open with another top-level atom.
            [_, _, _, _, (byte)'m', (byte)'o', (byte)'o', (byte)'v', ..] or [_, _, _, _, (byte)'m', (byte)'d', (byte)'a', (byte)'t', ..]
                or [_, _, _, _, (byte)'w', (byte)'i', (byte)'d', (byte)'e', ..] or [_, _, _, _, (byte)'f', (byte)'r', (byte)'e', (byte)'e', ..]
                or [_, _, _, _, (byte)'s', (byte)'k', (byte)'i', (byte)'p', ..] => Kind.IsoMedia,
            [0x1A, 0x45, 0xDF, 0xA3, ..] => Kind.Matroska,
            _ => Kind.Unknown,
        };
    }
}
