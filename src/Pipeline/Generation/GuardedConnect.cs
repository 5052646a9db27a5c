using System.Net;
using System.Net.Sockets;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Generation;

/// <summary>
/// The connect step of every fetch of a client's URL (image_url, options.music): the address actually connected to
/// is checked, so neither DNS nor a redirect can lead to loopback, private or link-local addresses unless allowed.
/// </summary>
public static class GuardedConnect
{
    /// <param name="field">The request field named in refusals ("image_url").</param>
    /// <param name="allowSetting">The configuration key that would allow private addresses, named in refusals.</param>
    public static SocketsHttpHandler Handler(bool allowPrivateNetworks, string field, string allowSetting, int maxRedirects) => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = maxRedirects,
        UseCookies = false,
        // A proxy would be the address connected to, and the check would vet it instead of the URL's host.
        UseProxy = false,
        ConnectCallback = (context, ct) => ConnectAsync(context, allowPrivateNetworks, field, allowSetting, ct),
    };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivateNetworks, string field, string allowSetting,
        CancellationToken cancellationToken)
    {
        if (!allowPrivateNetworks && PublicAddress.IsLocalName(context.DnsEndPoint.Host))
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} is this machine, which {field} may not name");
        }
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(a => allowPrivateNetworks || PublicAddress.IsPublic(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to loopback or private addresses, which {field} may not reach ({allowSetting})");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
