using System.Buffers.Binary;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>A 16-bit PCM WAV file's samples, read directly: checking each sentence for silence by reading it costs
/// less than another ffmpeg process per sentence.</summary>
public sealed record PcmWav(int SampleRate, int Channels, short[] Samples)
{
    public double Seconds => SampleRate == 0 || Channels == 0 ? 0 : (double)Samples.Length / Channels / SampleRate;

    /// <summary>Root mean square level over the whole file, in dBFS; -infinity for digital silence or no samples.</summary>
    public double RmsDb()
    {
        if (Samples.Length == 0)
        {
            return double.NegativeInfinity;
        }
        double sum = 0;
        foreach (var s in Samples)
        {
            sum += (double)s * s;
        }
        var rms = Math.Sqrt(sum / Samples.Length) / 32768.0;
        return rms == 0 ? double.NegativeInfinity : 20 * Math.Log10(rms);
    }

    public static PcmWav Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (span.Length < 12 || !span[..4].SequenceEqual("RIFF"u8) || !span[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a WAV file");
        }
        int rate = 0, channels = 0, bits = 0;
        var at = 12;
        while (at + 8 <= span.Length)
        {
            var id = span.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(at + 4, 4));
            var body = at + 8;
            if (id.SequenceEqual("fmt "u8) && body + 16 <= span.Length)
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(span.Slice(body + 2, 2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(body + 4, 4));
                bits = BinaryPrimitives.ReadInt16LittleEndian(span.Slice(body + 14, 2));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (bits != 16 || channels < 1 || rate < 1)
                {
                    throw new InvalidDataException($"{Path.GetFileName(path)} is not 16-bit PCM");
                }
                // A streaming writer may leave the size unset (0 or 0xFFFFFFFF): the rest of the file is the data.
                var available = span.Length - body;
                var length = size is 0 or uint.MaxValue ? available : (int)Math.Min(size, (uint)available);
                var samples = new short[length / 2];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(span.Slice(body + 2 * i, 2));
                }
                return new PcmWav(rate, channels, samples);
            }
            at = body + (int)Math.Min(size + (size & 1), (uint)(span.Length - body));
        }
        throw new InvalidDataException($"{Path.GetFileName(path)} has no data chunk");
    }
}
