using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VideoAkka.Pipeline.Notify;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11, Must show 5: with VIDEOAKKA_WEBHOOK_SECRET set, webhooks carry Standard Webhooks headers whose
/// signature an independent HMAC computation verifies, and a wrong secret does not; every retry of one event keeps
/// its webhook-id.</summary>
public sealed class WebhookSignatureSpecs
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static string Secret => "whsec_" + Convert.ToBase64String(Key);

    /// <summary>What a receiver does (the README's n8n Code node does the same), written out here rather than with our
    /// signing code.</summary>
    private static bool Verifies(WebhookDelivery delivery, byte[] key)
    {
        using var hmac = new HMACSHA256(key);
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{delivery.Id}.{delivery.Timestamp}.{delivery.Body}")));
        return delivery.Signature.Split(' ').Contains(expected);
    }

    [Fact]
    public async Task A_webhook_is_signed_so_that_an_independent_hmac_verifies_it_and_a_wrong_secret_does_not()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(webhookUrl: receiver.Url, webhookSecret: Secret);
        var jobId = await service.SubmitAsync(JobBodies.Simple("signed-run", scenes: 1, voiceover: false));
        await service.WaitUntilFinishedAsync(jobId);

        await receiver.WaitForBodiesAsync(1);
        var delivery = Assert.Single(receiver.Deliveries);

        Assert.True(Verifies(delivery, Key));
        Assert.False(Verifies(delivery, RandomNumberGenerator.GetBytes(32)));
        Assert.False(Verifies(delivery with { Body = delivery.Body.Replace("completed", "failed") }, Key));
        Assert.InRange(long.Parse(delivery.Timestamp, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal("job_completed", JsonDocument.Parse(delivery.Body).RootElement.GetProperty("event").GetString());
    }

    [Fact]
    public async Task Every_retry_of_one_event_carries_the_same_webhook_id_and_a_valid_signature()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 500);
        await using var service = await ServiceUnderTest.StartAsync(webhookUrl: receiver.Url, webhookSecret: Secret);
        var jobId = await service.SubmitAsync(JobBodies.Simple("redelivered-run", scenes: 1, voiceover: false));
        await service.WaitUntilFinishedAsync(jobId);

        await receiver.WaitForBodiesAsync(3);

        Assert.Equal(3, receiver.Deliveries.Count);
        Assert.Single(receiver.Deliveries.Select(d => d.Id).Distinct());
        Assert.StartsWith(jobId, receiver.Deliveries[0].Id);
        Assert.All(receiver.Deliveries, d => Assert.True(Verifies(d, Key)));
    }

    [Fact]
    public void A_secret_without_the_whsec_prefix_is_its_utf8_bytes_and_a_bad_one_is_refused_without_being_echoed()
    {
        Assert.Equal(Encoding.UTF8.GetBytes("plain secret"), WebhookSigning.ParseSecret("plain secret"));
        Assert.Equal(Key, WebhookSigning.ParseSecret(Secret));
        Assert.Null(WebhookSigning.ParseSecret(null));
        var refused = Assert.Throws<ArgumentException>(() => WebhookSigning.ParseSecret("whsec_not*base64!"));
        Assert.DoesNotContain("not*base64", refused.Message);
    }

    [Fact]
    public async Task Without_a_secret_webhooks_carry_an_id_and_a_timestamp_but_no_signature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(webhookUrl: receiver.Url);
        var jobId = await service.SubmitAsync(JobBodies.Simple("unsigned-run", scenes: 1, voiceover: false));
        await service.WaitUntilFinishedAsync(jobId);

        await receiver.WaitForBodiesAsync(1);
        var delivery = Assert.Single(receiver.Deliveries);

        Assert.StartsWith(jobId, delivery.Id);
        Assert.NotEmpty(delivery.Timestamp);
        Assert.Empty(delivery.Signature);
    }
}
