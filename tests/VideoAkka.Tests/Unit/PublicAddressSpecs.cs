using System.Net;
using VideoAkka.Pipeline.Jobs;
using Xunit;

namespace VideoAkka.Tests.Unit;

/// <summary>Which addresses an image_url may reach: the worker fetches from inside the operator's network, so only
/// the public internet is allowed unless the operator says otherwise.</summary>
public class PublicAddressSpecs
{
    private static bool IsPublic(string address) => PublicAddress.IsPublic(IPAddress.Parse(address));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.215.14")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2606:4700:4700::1111")]
    public void A_public_address_is_public(string address) => Assert.True(IsPublic(address));

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.0.1")]
    [InlineData("192.168.255.255")]
    public void A_private_v4_address_is_not_public(string address) => Assert.False(IsPublic(address));

    [Theory]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("11.0.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    public void An_address_just_outside_a_private_range_is_public(string address) => Assert.True(IsPublic(address));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("::1")]
    public void A_loopback_address_is_not_public(string address) => Assert.False(IsPublic(address));

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("fe80::1")]
    public void A_link_local_address_such_as_cloud_metadata_is_not_public(string address) => Assert.False(IsPublic(address));

    [Theory]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    public void A_carrier_grade_nat_address_is_not_public(string address) => Assert.False(IsPublic(address));

    [Theory]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456:789a::1")]
    public void A_unique_local_v6_address_is_not_public(string address) => Assert.False(IsPublic(address));

    [Theory]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:192.168.1.1")]
    public void A_v4_mapped_v6_address_of_a_private_address_is_not_public(string address) => Assert.False(IsPublic(address));

    [Fact]
    public void A_v4_mapped_v6_address_of_a_public_address_is_public() => Assert.True(IsPublic("::ffff:8.8.8.8"));

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("::")]
    public void An_unspecified_address_is_not_public(string address) => Assert.False(IsPublic(address));

    [Theory]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("ff02::1")]
    public void A_multicast_broadcast_or_reserved_address_is_not_public(string address) => Assert.False(IsPublic(address));

    [Fact]
    public void A_nat64_address_that_can_reach_a_private_v4_address_is_not_public() => Assert.False(IsPublic("64:ff9b::10.0.0.1"));

    [Fact]
    public void A_teredo_address_is_not_public() => Assert.False(IsPublic("2001:0:4136:e378:8000:63bf:3fff:fdd2"));

    [Theory]
    [InlineData("localhost")]
    [InlineData("LocalHost")]
    [InlineData("gpu.localhost")]
    [InlineData("localhost.")]
    [InlineData("gpu.localhost.")]
    public void Localhost_and_its_subdomains_are_local_names(string host) => Assert.True(PublicAddress.IsLocalName(host));

    [Theory]
    [InlineData("example.com")]
    [InlineData("localhost.example.com")]
    [InlineData("mylocalhost")]
    public void Other_host_names_are_not_local_names(string host) => Assert.False(PublicAddress.IsLocalName(host));

    [Theory]
    [InlineData("::7f00:1")]          // IPv4-compatible form of 127.0.0.1
    [InlineData("2002:a00:1::1")]     // 6to4 wrapping 10.0.0.1
    [InlineData("64:ff9b:1::a00:1")]  // local-use NAT64
    [InlineData("100::1")]            // discard-only
    [InlineData("2001:db8::1")]       // documentation
    public void A_v6_address_outside_global_unicast_or_wrapping_a_v4_one_is_not_public(string address) => Assert.False(IsPublic(address));
}
