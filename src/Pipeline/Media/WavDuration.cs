using System.Buffers.Binary;

namespace VideoAkka.Pipeline.Media;

/// <summary>Reads a PCM WAV file's length from its header: espeak-ng writes one per cue, and spawning ffprobe for
/// each of a long script's sentences would cost more than speaking them.</summary>
public static class WavDuration
{
    public static double Seconds(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[12];
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length
            || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a WAV file");
        }
        var byteRate = 0;
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> format = stackalloc byte[16];
        while (file.Read(chunk) == 8)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (chunk[..4].SequenceEqual("fmt "u8))
            {
                file.ReadExactly(format);
                byteRate = BinaryPrimitives.ReadInt32LittleEndian(format[8..12]);
                file.Seek(size - 16 + (size & 1), SeekOrigin.Current);
            }
            else if (chunk[..4].SequenceEqual("data"u8))
            {
                // A streaming writer may leave the size unset (0 or 0xFFFFFFFF): the rest of the file is the data.
                var dataBytes = size is 0 or uint.MaxValue ? file.Length - file.Position : Math.Min(size, file.Length - file.Position);
                return byteRate > 0 ? (double)dataBytes / byteRate : throw new InvalidDataException($"{Path.GetFileName(path)} has no format chunk");
            }
            else
            {
                file.Seek(size + (size & 1), SeekOrigin.Current);
            }
        }
        throw new InvalidDataException($"{Path.GetFileName(path)} has no data chunk");
    }
}
