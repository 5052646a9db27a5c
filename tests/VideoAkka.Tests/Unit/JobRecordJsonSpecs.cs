using System.Text.Json;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Tests.Unit;

/// <summary>A record keeps the request body as it came: written out as its own bytes, not re-escaped token by token.</summary>
public sealed class JobRecordJsonSpecs
{
    private const string Body = """
        {"script": "Caf\u00e9 \ud83c\udfac.",
         "prompts": ["a \"lighthouse\""], "run_id": "r1"}
        """;

    [Fact]
    public void The_payload_is_stored_as_the_exact_text_of_the_request_body()
    {
        using var document = JsonDocument.Parse(Body);
        var record = JobRecord.Queued("job-1", "r1", "/data/r1", document.RootElement, DateTimeOffset.UnixEpoch);

        var json = JobJson.Serialize(record);

        Assert.Contains("\"payload\":" + Body, json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_payload_reads_back_to_the_same_values()
    {
        using var document = JsonDocument.Parse(Body);
        var record = JobRecord.Queued("job-1", "r1", "/data/r1", document.RootElement, DateTimeOffset.UnixEpoch);

        var read = JobJson.DeserializeRecord(JobJson.Serialize(record))!;

        Assert.Equal("Café 🎬.", read.Payload.GetProperty("script").GetString());
        Assert.Equal("a \"lighthouse\"", read.Payload.GetProperty("prompts")[0].GetString());
    }
}
