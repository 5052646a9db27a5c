namespace VideoAkka.Pipeline.Generation.Null;

/// <summary>What the null backend writes in place of every media file: a few bytes saying so, so that a folder made
/// by it is never taken for a real render.</summary>
internal static class Placeholder
{
    private static readonly byte[] Marker = "videoakka null backend: placeholder, no media\n"u8.ToArray();

    public static async Task<string> WriteAsync(string path, CancellationToken cancellationToken)
    {
        await File.WriteAllBytesAsync(path, Marker, cancellationToken).ConfigureAwait(false);
        return path;
    }
}
