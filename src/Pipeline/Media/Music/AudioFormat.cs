namespace VideoAkka.Pipeline.Media.Music;

/// <summary>Names the ffmpeg demuxer for a music file from outside by its first bytes, so ffmpeg never guesses (left
/// to guess, it would read a playlist and open what it lists). Anything but the audio containers we take is refused.</summary>
public static class AudioFormat
{
    public static string Demuxer(string path)
    {
        Span<byte> head = stackalloc byte[12];
        using (var file = File.OpenRead(path))
        {
            if (file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length)
            {
                throw Refused(path);
            }
        }
        return head switch
        {
            [(byte)'I', (byte)'D', (byte)'3', ..] => "mp3",
            [0xFF, var b, ..] when (b & 0xE0) == 0xE0 && (b & 0x06) != 0 => "mp3", // an MPEG audio frame (layer I-III)
            [0xFF, var b, ..] when (b & 0xF6) == 0xF0 => "aac", // ADTS
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'A', (byte)'V', (byte)'E'] => "wav",
            [(byte)'O', (byte)'g', (byte)'g', (byte)'S', ..] => "ogg",
            [(byte)'f', (byte)'L', (byte)'a', (byte)'C', ..] => "flac",
            [_, _, _, _, (byte)'f', (byte)'t', (byte)'y', (byte)'p', ..] => "mov",
            _ => throw Refused(path),
        };
    }

    private static InvalidDataException Refused(string path) =>
        new($"music {Path.GetFileName(path)} is not an MP3, WAV, AAC, M4A, Ogg or FLAC file");
}
