using System.Buffers.Binary;
using System.Text;
using VideoAkka.Pipeline.Media;
using Xunit;

namespace VideoAkka.Tests.Unit;

public sealed class WavDurationSpecs : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("wavduration-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A canonical PCM WAV: RIFF/WAVE, a fmt chunk of <paramref name="fmtSize"/> bytes, optional extra chunks, then data.</summary>
    private string WriteWav(
        int sampleRate, short channels, short bitsPerSample, int dataBytes,
        uint? declaredDataSize = null, int fmtSize = 16, (string Id, int Size)[]? chunksBeforeData = null)
    {
        using var wav = new MemoryStream();
        using var writer = new BinaryWriter(wav, Encoding.ASCII);
        var blockAlign = (short)(channels * bitsPerSample / 8);
        writer.Write("RIFF"u8);
        writer.Write(0u); // RIFF size: not read
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(fmtSize);
        writer.Write((short)1); // PCM
        writer.Write(channels);
        writer.Write(sampleRate);
        writer.Write(sampleRate * blockAlign); // byte rate
        writer.Write(blockAlign);
        writer.Write(bitsPerSample);
        writer.Write(new byte[fmtSize - 16 + (fmtSize & 1)]);
        foreach (var (id, size) in chunksBeforeData ?? [])
        {
            writer.Write(Encoding.ASCII.GetBytes(id));
            writer.Write(size);
            writer.Write(new byte[size + (size & 1)]);
        }
        writer.Write("data"u8);
        writer.Write(declaredDataSize ?? (uint)dataBytes);
        writer.Write(new byte[dataBytes]);
        writer.Flush();
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.wav");
        File.WriteAllBytes(path, wav.ToArray());
        return path;
    }

    [Fact]
    public void The_duration_is_the_data_size_over_the_byte_rate()
    {
        // 22050 Hz mono 16-bit: 44100 bytes a second; 66150 bytes = 1.5 s.
        var path = WriteWav(22050, 1, 16, 66150);

        Assert.Equal(1.5, WavDuration.Seconds(path), 9);
    }

    [Fact]
    public void The_byte_rate_accounts_for_channels_and_sample_size()
    {
        // 48000 Hz stereo 16-bit: 192000 bytes a second; 48000 bytes = 0.25 s.
        var path = WriteWav(48000, 2, 16, 48000);

        Assert.Equal(0.25, WavDuration.Seconds(path), 9);
    }

    [Fact]
    public void An_empty_data_chunk_lasts_zero_seconds() =>
        Assert.Equal(0.0, WavDuration.Seconds(WriteWav(22050, 1, 16, 0)));

    [Fact]
    public void Chunks_before_the_data_are_skipped_including_odd_sized_ones()
    {
        var path = WriteWav(22050, 1, 16, 44100, chunksBeforeData: [("LIST", 27), ("fact", 4)]);

        Assert.Equal(1.0, WavDuration.Seconds(path), 9);
    }

    [Fact]
    public void An_extended_fmt_chunk_is_skipped_past()
    {
        var path = WriteWav(22050, 1, 16, 22050, fmtSize: 18);

        Assert.Equal(0.5, WavDuration.Seconds(path), 9);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(uint.MaxValue)]
    public void An_unset_data_size_from_a_streaming_writer_means_the_rest_of_the_file(uint declared)
    {
        var path = WriteWav(22050, 1, 16, 88200, declaredDataSize: declared);

        Assert.Equal(2.0, WavDuration.Seconds(path), 9);
    }

    [Fact]
    public void A_data_size_larger_than_the_file_is_capped_at_the_bytes_present()
    {
        var path = WriteWav(22050, 1, 16, 44100, declaredDataSize: 10_000_000);

        Assert.Equal(1.0, WavDuration.Seconds(path), 9);
    }

    [Fact]
    public void A_file_that_is_not_a_wav_is_refused()
    {
        var path = Path.Combine(folder, "notes.wav");
        File.WriteAllText(path, "this is plain text, not RIFF audio at all");

        Assert.Throws<InvalidDataException>(() => WavDuration.Seconds(path));
    }

    [Fact]
    public void A_riff_file_of_another_kind_is_refused()
    {
        var path = Path.Combine(folder, "clip.avi");
        var bytes = new byte[64];
        "RIFF"u8.CopyTo(bytes);
        "AVI "u8.CopyTo(bytes.AsSpan(8));
        File.WriteAllBytes(path, bytes);

        Assert.Throws<InvalidDataException>(() => WavDuration.Seconds(path));
    }

    [Fact]
    public void A_wav_without_a_data_chunk_is_refused()
    {
        var path = WriteWav(22050, 1, 16, 100);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^108]); // drop the data chunk header and its bytes

        Assert.Throws<InvalidDataException>(() => WavDuration.Seconds(path));
    }

    [Fact]
    public void A_wav_without_a_format_chunk_is_refused()
    {
        var path = Path.Combine(folder, "nofmt.wav");
        var bytes = new byte[12 + 8 + 10];
        "RIFF"u8.CopyTo(bytes);
        "WAVE"u8.CopyTo(bytes.AsSpan(8));
        "data"u8.CopyTo(bytes.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 10);
        File.WriteAllBytes(path, bytes);

        Assert.Throws<InvalidDataException>(() => WavDuration.Seconds(path));
    }

    [Fact]
    public void An_empty_file_is_refused_as_not_a_wav()
    {
        var path = Path.Combine(folder, "empty.wav");
        File.WriteAllBytes(path, []);

        Assert.Throws<InvalidDataException>(() => WavDuration.Seconds(path));
    }
}
