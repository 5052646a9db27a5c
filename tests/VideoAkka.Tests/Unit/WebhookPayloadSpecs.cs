using System.Text.Json;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Notify;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class WebhookPayloadSpecs
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    private static JobRecord Record(JobStatus status, string? error = null) => new()
    {
        JobId = "3f2a-job",
        RunId = "run-1",
        Status = status,
        Stage = status == JobStatus.Completed ? JobStages.Done : JobStages.Stitch,
        Progress = status == JobStatus.Completed ? 1 : 0.5,
        CreatedAt = Now.AddMinutes(-2),
        StartedAt = Now.AddMinutes(-1),
        FinishedAt = Now,
        Error = error,
        OutputDir = "/data/shared/run-1",
        FinalVideoPath = "/data/shared/run-1/stitched_subtitled.mp4",
        VideoFiles = ["scene_001.mp4", "scene_002.mp4"],
        ImageFiles = ["scene_001.png", "scene_002.png"],
        VoiceoverPath = "/data/shared/run-1/voiceover.mp3",
        Payload = JsonDocument.Parse("""{"script": "Hi.", "prompts": ["a cat"]}""").RootElement.Clone(),
    };

    private static JsonElement Webhook(JobRecord record) =>
        JsonDocument.Parse(JsonSerializer.Serialize(WebhookPayload.For(record, Now), WebhookJson.Default.WebhookPayload)).RootElement.Clone();

    private static string[] Keys(JsonElement element) =>
        [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static string[] Sorted(params string[] keys) => [.. keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void A_webhook_body_has_exactly_event_timestamp_and_data() =>
        Assert.Equal(Sorted("event", "timestamp", "data"), Keys(Webhook(Record(JobStatus.Completed))));

    [Fact]
    public void A_completed_job_is_announced_as_job_completed() =>
        Assert.Equal("job_completed", Webhook(Record(JobStatus.Completed)).GetProperty("event").GetString());

    [Fact]
    public void The_data_of_a_completed_job_has_exactly_the_seeds_fields_without_error() =>
        Assert.Equal(
            Sorted("job_id", "status", "run_id", "output_dir", "final_video_path", "video_files", "image_files", "voiceover_path"),
            Keys(Webhook(Record(JobStatus.Completed)).GetProperty("data")));

    [Fact]
    public void The_data_of_a_completed_job_carries_the_records_values()
    {
        var data = Webhook(Record(JobStatus.Completed)).GetProperty("data");

        Assert.Equal("3f2a-job", data.GetProperty("job_id").GetString());
        Assert.Equal("completed", data.GetProperty("status").GetString());
        Assert.Equal("run-1", data.GetProperty("run_id").GetString());
        Assert.Equal("/data/shared/run-1", data.GetProperty("output_dir").GetString());
        Assert.Equal("/data/shared/run-1/stitched_subtitled.mp4", data.GetProperty("final_video_path").GetString());
        Assert.Equal(["scene_001.mp4", "scene_002.mp4"], data.GetProperty("video_files").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(["scene_001.png", "scene_002.png"], data.GetProperty("image_files").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("/data/shared/run-1/voiceover.mp3", data.GetProperty("voiceover_path").GetString());
    }

    [Fact]
    public void The_timestamp_is_unix_seconds_with_milliseconds_as_a_fraction()
    {
        var timestamp = Webhook(Record(JobStatus.Completed)).GetProperty("timestamp");

        Assert.Equal(JsonValueKind.Number, timestamp.ValueKind);
        Assert.Equal("1700000000.123", timestamp.GetRawText());
    }

    [Fact]
    public void A_failed_job_is_announced_as_job_failed() =>
        Assert.Equal("job_failed", Webhook(Record(JobStatus.Failed, "ffmpeg exited 1")).GetProperty("event").GetString());

    [Fact]
    public void The_data_of_a_failed_job_has_its_error_and_status_failed()
    {
        var data = Webhook(Record(JobStatus.Failed, "ffmpeg exited 1")).GetProperty("data");

        Assert.Equal("ffmpeg exited 1", data.GetProperty("error").GetString());
        Assert.Equal("failed", data.GetProperty("status").GetString());
    }

    [Fact]
    public void The_data_of_a_failed_job_has_no_final_video_path() =>
        Assert.False(Webhook(Record(JobStatus.Failed, "boom")).GetProperty("data").TryGetProperty("final_video_path", out _));

    [Fact]
    public void A_failed_job_without_an_error_message_still_reports_an_error() =>
        Assert.Equal("failed", Webhook(Record(JobStatus.Failed)).GetProperty("data").GetProperty("error").GetString());

    [Fact]
    public void A_job_record_is_stored_with_exactly_the_seeds_snake_case_names()
    {
        var json = JsonDocument.Parse(JobJson.Serialize(Record(JobStatus.Completed))).RootElement;

        Assert.Equal(
            Sorted("job_id", "run_id", "status", "stage", "progress", "created_at", "started_at", "finished_at", "error",
                "output_dir", "final_video_path", "video_files", "image_files", "voiceover_path", "payload"),
            Keys(json));
    }

    [Fact]
    public void A_job_record_writes_its_status_as_a_lower_case_word() =>
        Assert.Equal("queued", JsonDocument.Parse(JobJson.Serialize(
            JobRecord.Queued("j", "r", "/data/shared/r", JsonDocument.Parse("{}").RootElement, Now))).RootElement.GetProperty("status").GetString());

    [Fact]
    public void A_job_record_writes_unset_optional_fields_as_null()
    {
        var json = JsonDocument.Parse(JobJson.Serialize(
            JobRecord.Queued("j", "r", "/data/shared/r", JsonDocument.Parse("{}").RootElement, Now))).RootElement;

        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("final_video_path").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("started_at").ValueKind);
    }

    [Fact]
    public void A_job_record_survives_a_round_trip()
    {
        var record = Record(JobStatus.Completed);

        var back = JobJson.DeserializeRecord(JobJson.Serialize(record))!;

        Assert.Equal(JobJson.Serialize(record), JobJson.Serialize(back));
    }
}
