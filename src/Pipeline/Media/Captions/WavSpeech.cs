using System.Buffers.Binary;

namespace VideoAkka.Pipeline.Media.Captions;

/// <summary>Finds the stretches of sound in a 16-bit PCM WAV (espeak-ng's output) between silences of at least a
/// given length, without spawning ffmpeg for each sentence.</summary>
public static class WavSpeech
{
    /// <summary>About -50 dBFS: espeak-ng's pauses are digital silence, its quietest consonants are far above this.</summary>
    private const int SilenceAmplitude = 100;

    /// <returns>The sound stretches (start, end) in seconds, and the file's whole length.</returns>
    public static (IReadOnlyList<(double Start, double End)> Sounds, double Length) Segments(string path, double minSilenceSeconds)
    {
        var (samples, rate) = ReadMono16(path);
        var sounds = new List<(double, double)>();
        var minSilence = (int)(minSilenceSeconds * rate);
        int? soundStart = null;
        var lastLoud = -1;
        for (var i = 0; i < samples.Length; i++)
        {
            if (Math.Abs((int)samples[i]) <= SilenceAmplitude)
            {
                if (soundStart is { } s && i - lastLoud >= minSilence)
                {
                    sounds.Add(((double)s / rate, (double)(lastLoud + 1) / rate));
                    soundStart = null;
                }
                continue;
            }
            soundStart ??= i;
            lastLoud = i;
        }
        if (soundStart is { } open)
        {
            sounds.Add(((double)open / rate, (double)(lastLoud + 1) / rate));
        }
        return (sounds, (double)samples.Length / rate);
    }

    private static (short[] Samples, int Rate) ReadMono16(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || !bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a WAV file");
        }
        int channels = 0, rate = 0, bits = 0;
        var at = 12;
        while (at + 8 <= bytes.Length)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            var body = at + 8;
            if (bytes.AsSpan(at, 4).SequenceEqual("fmt "u8) && body + 16 <= bytes.Length)
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + 2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(body + 4));
                bits = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + 14));
            }
            else if (bytes.AsSpan(at, 4).SequenceEqual("data"u8))
            {
                if (bits != 16 || channels < 1 || rate <= 0)
                {
                    throw new InvalidDataException($"{Path.GetFileName(path)} is not 16-bit PCM");
                }
                var length = size is 0 or uint.MaxValue ? bytes.Length - body : (int)Math.Min(size, (uint)(bytes.Length - body));
                var frames = length / (2 * channels);
                var samples = new short[frames];
                for (var f = 0; f < frames; f++)
                {
                    samples[f] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + f * 2 * channels));
                }
                return (samples, rate);
            }
            at = body + (int)Math.Min(size + (size & 1), (uint)(bytes.Length - body));
        }
        throw new InvalidDataException($"{Path.GetFileName(path)} has no data chunk");
    }
}
