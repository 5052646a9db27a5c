using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace VideoAkka.Http;

/// <summary>Reads a request body into memory, refusing it as soon as it passes the limit (a chunked body has no
/// Content-Length to check up front).</summary>
internal static class RequestBody
{
    private const long ExactReadMaxBytes = 64 * 1024;

    /// <returns>The body, or null when it is larger than <paramref name="limit"/>.</returns>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        // The usual submit declares a small length: read into an array of exactly that size, the one allocation the
        // body needs (a growing copy and a 16 KiB chunk per request were most of what a submit allocated). A large
        // declared length is read as it comes, so slow clients declaring the limit cannot pin it each before sending.
        return request.ContentLength is { } length and <= ExactReadMaxBytes
            ? await ReadDeclaredAsync(request.Body, (int)length, cancellationToken).ConfigureAwait(false)
            : await ReadChunkedAsync(request.Body, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kestrel ends a body at its Content-Length (and fails a shorter one), so exactly that many bytes come.</summary>
    private static async Task<byte[]> ReadDeclaredAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        await body.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    private static async Task<byte[]?> ReadChunkedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var buffer = new MemoryStream();
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
