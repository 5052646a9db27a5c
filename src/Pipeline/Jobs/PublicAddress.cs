using System.Net;
using System.Net.Sockets;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// Whether an address is on the public internet. A URL a client sends is fetched by the worker from inside the
/// operator's network: loopback, private, link-local (cloud metadata lives at 169.254.169.254), shared and unspecified
/// addresses are refused there unless the operator allows them.
/// </summary>
public static class PublicAddress
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.None))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127
                || (b[0] == 100 && (b[1] & 0xC0) == 64)      // 100.64.0.0/10 shared (carrier-grade NAT)
                || (b[0] == 169 && b[1] == 254)              // link-local, cloud metadata
                || (b[0] == 172 && (b[1] & 0xF0) == 16)      // 172.16.0.0/12
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)   // IETF protocol assignments
                || (b[0] == 198 && (b[1] & 0xFE) == 18)      // benchmarking
                || b[0] >= 224);                             // multicast and reserved
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC                     // fc00::/7 unique local
                || address.IsIPv6Teredo
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)); // 64:ff9b::/96 NAT64 can reach private v4
        }
        return false;
    }

    /// <summary>A host name that names this machine whatever DNS says (a fully qualified "localhost." too).</summary>
    public static bool IsLocalName(string host)
    {
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }
}
