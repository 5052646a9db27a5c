using System.Text.Json;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media.Qc;

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

    [Fact]
    public void A_record_written_before_quality_control_existed_still_reads_with_no_qc()
    {
        const string older = """
            {"job_id":"job-1","run_id":"r1","status":"completed","stage":"done","progress":1,"created_at":"2026-01-01T00:00:00+00:00",
             "started_at":null,"finished_at":"2026-01-01T00:01:00+00:00","error":null,"output_dir":"/data/r1",
             "final_video_path":"/data/r1/stitched_subtitled.mp4","video_files":["vid_001.mp4"],"image_files":["img_001.png"],
             "voiceover_path":null,"payload":{"script":"Hi."}}
            """;

        var read = JobJson.DeserializeRecord(older)!;

        Assert.Equal((JobStatus.Completed, (QcReport?)null), (read.Status, read.Qc));
    }

    [Fact]
    public void A_record_without_qc_writes_no_qc_field()
    {
        using var document = JsonDocument.Parse(Body);

        var json = JobJson.Serialize(JobRecord.Queued("job-1", "r1", "/data/r1", document.RootElement, DateTimeOffset.UnixEpoch));

        Assert.DoesNotContain("\"qc\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_qc_report_is_written_in_snake_case_and_reads_back_to_the_same_checks()
    {
        using var document = JsonDocument.Parse(Body);
        var report = QcReport.Of(
        [
            new QcCheck("duration", QcCheck.Pass, true, 12.02, Min: 11.75, Max: 12.25, Unit: "s"),
            new QcCheck("video", QcCheck.Pass, true, Found: "h264", Expected: "h264"),
        ]);
        var record = JobRecord.Queued("job-1", "r1", "/data/r1", document.RootElement, DateTimeOffset.UnixEpoch) with { Qc = report };

        var json = JobJson.Serialize(record);
        var read = JobJson.DeserializeRecord(json)!;

        Assert.Contains("""
            "qc":{"result":"passed","checks":[{"name":"duration","result":"pass","hard":true,"measured":12.02,"min":11.75,"max":12.25,"unit":"s"},{"name":"video","result":"pass","hard":true,"found":"h264","expected":"h264"}]}
            """.Trim(), json, StringComparison.Ordinal);
        Assert.Equal(report.Checks.AsEnumerable(), read.Qc!.Checks.AsEnumerable());
    }
}
