namespace VideoAkka.Pipeline.Generation;

/// <summary>Copies a download to a file without ever taking more than a limit: a server's Content-Length is a claim,
/// not a bound, so the bytes are counted as they come.</summary>
internal static class BoundedCopy
{
    /// <returns>The number of bytes copied.</returns>
    /// <param name="tooLarge">The exception to throw as soon as more than <paramref name="maxBytes"/> arrive.</param>
    public static async Task<long> ToFileAsync(Stream source, string path, long maxBytes, Func<Exception> tooLarge, CancellationToken cancellationToken)
    {
        // The folder may be a client's (a run folder): a link planted at the path is removed, never followed, and
        // the file is made anew.
        File.Delete(path);
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw tooLarge();
            }
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
        return total;
    }
}
