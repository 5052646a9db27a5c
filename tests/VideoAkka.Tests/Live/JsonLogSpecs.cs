using System.Text.Json;
using System.Text.RegularExpressions;
using VideoAkka.Host;
using VideoAkka.Tests.Durability;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Live;

/// <summary>Issue 12: with VIDEOAKKA_LOG_FORMAT=json a worker writes one JSON object per line, every line about a job
/// carries its job_id and run_id, and no line (Akka's included) has a second timestamp inside its message.</summary>
public sealed partial class JsonLogSpecs
{
    private static readonly Dictionary<string, string> Json = new() { ["VIDEOAKKA_LOG_FORMAT"] = "json" };

    [Fact]
    public async Task A_json_worker_writes_only_json_lines_and_every_line_about_a_job_names_its_job_id_and_run_id_with_one_timestamp()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var redis = await TestRedis.StartAsync();
        await using var api = await ServiceUnderTest.StartAsync(DurableWorkers.DraftHocon, role: ServiceRole.Api, redis: redis);
        await using var worker = WorkerProcess.Start(redis.Url, api.DataRoot, DurableWorkers.DraftHocon, webhookUrl: receiver.Url, environment: Json);
        await worker.WaitUntilRunningAsync();

        var jobId = await api.SubmitAsync(JobBodies.Simple("json-log-run", scenes: 2));
        // A job that fails in a stage: its owner (an actor) and the stage log about it too.
        var failingId = await api.SubmitAsync(JobBodies.Simple("json-log-failing-run", scenes: 1, voice: "zz-no-such-voice"));
        Assert.Equal("completed", (await api.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
        Assert.Equal("failed", (await api.WaitUntilFinishedAsync(failingId)).GetProperty("status").GetString());
        await receiver.WaitForBodiesAsync(1);
        await Eventually.WaitUntilAsync(() => Task.FromResult(worker.Log.Contains($"Webhook for job {jobId} delivered", StringComparison.Ordinal)),
            "the worker to log the delivery");
        await worker.StopAsync(); // Akka's shutdown lines too

        var lines = worker.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var entries = lines.Select(Parse).ToList();
        var aboutJob = entries.Where(e => e.Line.Contains(jobId, StringComparison.Ordinal)).ToList();
        foreach (var expected in new[] { $"Job {jobId} (run json-log-run) started", $"Job {jobId} completed", $"Webhook for job {jobId} delivered" })
        {
            Assert.True(aboutJob.Any(e => e.Entry.GetProperty("Message").GetString()!.StartsWith(expected, StringComparison.Ordinal)),
                $"no line \"{expected}\" in:\n{worker.Log}");
        }
        foreach (var (line, entry) in aboutJob)
        {
            Assert.True(HasOneJobScope(entry, jobId, "json-log-run"), $"not one job_id/run_id scope on: {line}");
        }
        var aboutFailing = entries.Where(e => e.Line.Contains(failingId, StringComparison.Ordinal)).ToList();
        Assert.Contains(aboutFailing, e => e.Entry.GetProperty("Category").GetString() == "VideoAkka.Pipeline.Graph.JobActor");
        foreach (var (line, entry) in aboutFailing)
        {
            Assert.True(HasOneJobScope(entry, failingId, "json-log-failing-run"), $"not one job_id/run_id scope on: {line}");
        }
        foreach (var (line, entry) in entries)
        {
            Assert.EndsWith("Z", entry.GetProperty("Timestamp").GetString());
            Assert.False(SecondTimestamp().IsMatch(entry.GetProperty("Message").GetString() ?? ""), $"a second timestamp in: {line}");
        }
        // Akka's own lines are among them, through the same logger (and so under the same checks).
        Assert.Contains(entries, e => e.Entry.GetProperty("Category").GetString() == "VideoAkka.Pipeline.Graph.VideoPipelineActor"
            && e.Entry.GetProperty("Message").GetString()!.Contains("Video pipeline running", StringComparison.Ordinal));
    }

    private static (string Line, JsonElement Entry) Parse(string line)
    {
        try
        {
            var entry = JsonDocument.Parse(line).RootElement.Clone();
            Assert.Equal(JsonValueKind.Object, entry.ValueKind);
            return (line, entry);
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"not a JSON line ({ex.Message}): {line}");
        }
    }

    /// <summary>One scope names the job, and it names the job's run (a log shipper that flattens scopes gets one of each).</summary>
    private static bool HasOneJobScope(JsonElement entry, string jobId, string runId) =>
        entry.TryGetProperty("Scopes", out var scopes)
        && scopes.EnumerateArray().Where(scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("job_id", out _)).ToList() is [var only]
        && only.GetProperty("job_id").GetString() == jobId
        && only.TryGetProperty("run_id", out var run) && run.GetString() == runId;

    /// <summary>A date with a time (ISO or Akka's US-style), or Akka's "[INFO][" prefix.</summary>
    [GeneratedRegex("""\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{1,2}/\d{1,2}/\d{4} \d{2}:\d{2}|\[(DEBUG|INFO|WARNING|ERROR)\]\[""")]
    private static partial Regex SecondTimestamp();
}
