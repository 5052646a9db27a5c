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
            // Only global unicast (2000::/3) is public; everything else (IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::,
            // discard 100::, unique local fc00::/7, link-local, multicast) is not. Within it, the forms that wrap an
            // IPv4 address (6to4 2002::/16, Teredo 2001::/32) and documentation (2001:db8::/32) are refused too.
            var b = address.GetAddressBytes();
            return (b[0] & 0xE0) == 0x20
                && !(b[0] == 0x20 && b[1] == 0x02)
                && !address.IsIPv6Teredo
                && !(b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8);
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
