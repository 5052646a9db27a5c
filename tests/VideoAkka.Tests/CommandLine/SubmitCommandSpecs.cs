using System.Net;
using System.Text.RegularExpressions;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.CommandLine; // not "Cli": that would hide CliWrap's Cli class from the whole suite

/// <summary>Issue 12: `./videoakka submit FILE.json|FILE.jsonl [--wait]`, the real command as its own process against
/// the real service over HTTP.</summary>
public sealed partial class SubmitCommandSpecs : IDisposable
{
    // espeak-ng refuses a voice it does not have: a real failure of the real tts stage (as in FailureSpecs).
    private const string MissingVoice = "zz-novoice";

    private readonly string _folder = Directory.CreateTempSubdirectory($"videoakka-submit-{Environment.ProcessId}-").FullName;

    [Fact]
    public async Task A_json_job_waited_for_prints_its_download_url_and_the_path_of_an_mp4_and_exits_0()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var file = Write("job.json", JobBodies.Simple("cli-one", scenes: 1));

        var run = await SubmitProcess.RunAsync([file, "--wait"], url: Url(service));

        Assert.True(run.ExitCode == 0, run.All);
        var submitted = SubmittedLine().Match(run.Output);
        Assert.True(submitted.Success, run.All);
        var jobId = submitted.Groups["job"].Value;
        Assert.Equal($"{Url(service)}/orchestrate/video/{jobId}", Assert.Single(Outcomes(run, "completed")).Value);
        var path = Assert.Single(Outcomes(run, "video")).Value;
        Assert.Equal(Path.Combine(service.Folder("cli-one"), "stitched_subtitled.mp4"), path);
        var video = await MediaInfo.ProbeAsync(path);
        Assert.Equal("h264", video.Video.Codec);
        Assert.True(video.Duration > 0.5, $"the video lasts {video.Duration} s");
        using var download = await service.Http.GetAsync($"/orchestrate/video/{jobId}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
    }

    [Fact]
    public async Task A_batch_with_a_failing_job_exits_1_naming_the_failed_job_and_its_reason_while_the_others_complete()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var file = Write("batch.jsonl",
            JobBodies.Simple("cli-first", scenes: 1) + "\n" + JobBodies.Simple("cli-doomed", scenes: 1, voice: MissingVoice) + "\n" +
            JobBodies.Simple("cli-third", scenes: 1) + "\n");

        var run = await SubmitProcess.RunAsync([file, "--wait"], url: Url(service));

        Assert.True(run.ExitCode == 1, run.All);
        var doomedJob = SubmittedJobs(run)["cli-doomed"];
        var failed = Assert.Single(Outcomes(run, "failed"));
        Assert.Equal(("cli-doomed", doomedJob), (failed.RunId, failed.JobId));
        Assert.StartsWith("tts: espeak-ng exited with code", failed.Value);
        Assert.Equal(["cli-first", "cli-third"], Outcomes(run, "completed").Select(o => o.RunId).Order());
    }

    [Fact]
    public async Task A_batch_line_that_is_not_json_or_that_the_api_refuses_is_reported_by_its_number_and_the_other_lines_are_submitted()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var file = Write("batch.jsonl", string.Join('\n',
            JobBodies.Simple("cli-line-1", scenes: 1),
            "{\"script\": \"broken\", \"prompts\": [",
            "",
            """{"script": "", "prompts": ["a scene"]}""",
            JobBodies.Simple("cli-line-5", scenes: 1)));

        var run = await SubmitProcess.RunAsync([file], url: Url(service));

        Assert.True(run.ExitCode == 3, run.All);
        Assert.Contains("batch.jsonl:2: refused: not valid JSON", run.Errors);
        // The API's own problem title and detail, under the line's number (line 3 is blank: skipped, not a job).
        Assert.Contains("batch.jsonl:4: refused: 400 The request is not a valid job: script", run.Errors);
        Assert.DoesNotContain("batch.jsonl:3", run.All);
        var submitted = SubmittedJobs(run);
        Assert.Equal(["cli-line-1", "cli-line-5"], submitted.Keys.Order());
        foreach (var (runId, jobId) in submitted)
        {
            Assert.Equal(runId, (await service.StatusAsync(jobId)).GetProperty("run_id").GetString());
        }
    }

    [Fact]
    public async Task A_wait_outlives_a_restart_of_the_service_by_polling_and_resuming_the_events_stream()
    {
        await using var redis = await TestRedis.StartAsync();
        var port = RedisServerProcess.FreeLoopbackPort();
        // The first service's voice never finishes: the job is mid-run when it stops, however fast the machine; the
        // second speaks it.
        var first = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + HangingVoice.EspeakAlways(Path.Combine(_folder, "tools")), redis: redis, port: port);
        var dataRoot = first.DataRoot;
        var file = Write("job.json", JobBodies.Simple("cli-restart", scenes: 3));
        using var submit = SubmitProcess.Start([file, "--wait"], url: Url(first));
        await Eventually.WaitUntilAsync(() => Task.FromResult(submit.Output.Contains("cli-restart: running", StringComparison.Ordinal)),
            "the job to be seen running");

        // Stopped mid-job: the job is handed back to the queue, and the client loses its stream and the service.
        await first.DisposeAsync();
        await using var second = await ServiceUnderTest.StartAsync(redis: redis, dataRoot: dataRoot, port: port);
        var run = await submit.WaitForExitAsync();

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("the service does not answer", run.Errors);
        Assert.Contains("the service answers again", run.Errors);
        var jobId = Assert.Single(SubmittedJobs(run)).Value;
        var completed = Assert.Single(Outcomes(run, "completed"));
        Assert.Equal(("cli-restart", jobId), (completed.RunId, completed.JobId));
        Assert.Equal("completed", (await second.StatusAsync(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ctrl_c_stops_the_wait_with_exit_code_130_and_the_job_keeps_running()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        // Six one-minute clips to make (the video itself is as long as the narration): still running when the wait
        // is interrupted, even on a fast idle machine.
        var file = Write("job.json", JobBodies.Simple("cli-interrupted", scenes: 6, sceneSeconds: 60));
        using var submit = SubmitProcess.Start([file, "--wait"], url: Url(service));
        await Eventually.WaitUntilAsync(() => Task.FromResult(submit.Output.Contains("cli-interrupted: running", StringComparison.Ordinal)),
            "the job to be seen running");

        await submit.InterruptAsync();
        var run = await submit.WaitForExitAsync();

        Assert.True(run.ExitCode == 130, run.All);
        Assert.Contains("stopped waiting; the jobs keep running", run.Errors);
        var record = await service.WaitUntilFinishedAsync(Assert.Single(SubmittedJobs(run)).Value);
        Assert.Equal("completed", record.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unreachable_service_is_one_clear_line_and_exit_code_4()
    {
        var file = Write("job.json", JobBodies.Simple("cli-nowhere", scenes: 1));
        var nowhere = $"http://127.0.0.1:{RedisServerProcess.FreeLoopbackPort()}";

        var run = await SubmitProcess.RunAsync([file, "--wait"], url: nowhere);

        Assert.True(run.ExitCode == 4, run.All);
        var message = Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"videoakka submit: cannot reach the service at {nowhere}: ", message);
        Assert.DoesNotContain(" at VideoAkka", run.All); // no stack trace
    }

    [Fact]
    public async Task The_api_key_is_sent_with_every_request_and_never_printed()
    {
        const string key = "cli-spec-key-0123456789abcdef";
        await using var service = await ServiceUnderTest.StartAsync(apiKeys: key);
        var file = Write("job.json", JobBodies.Simple("cli-keyed", scenes: 1));

        // --wait: the events stream and the status record need the key too.
        var run = await SubmitProcess.RunAsync([file, "--wait"], url: Url(service), apiKey: key);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Single(Outcomes(run, "completed"));
        Assert.DoesNotContain(key, run.All);
    }

    [Fact]
    public async Task A_wrong_api_key_is_refused_with_exit_code_3_without_printing_it()
    {
        const string wrong = "not-the-key-but-secret-anyway-42";
        await using var service = await ServiceUnderTest.StartAsync(apiKeys: "cli-spec-key-0123456789abcdef");
        var file = Write("job.json", JobBodies.Simple("cli-locked", scenes: 1));

        var run = await SubmitProcess.RunAsync([file, "--wait"], url: Url(service), apiKey: wrong);

        Assert.True(run.ExitCode == 3, run.All);
        Assert.Contains("job.json: refused: 401", run.Errors);
        Assert.Contains("VIDEOAKKA_API_KEY", run.Errors);
        Assert.DoesNotContain(wrong, run.All);
    }

    private static string Url(ServiceUnderTest service) => service.Http.BaseAddress!.ToString().TrimEnd('/');

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>run id → job id, from the "FILE:N: submitted: job ID (run RUN)" lines.</summary>
    private static Dictionary<string, string> SubmittedJobs(SubmitRun run) =>
        SubmittedLine().Matches(run.Output).ToDictionary(m => m.Groups["run"].Value, m => m.Groups["job"].Value);

    /// <summary>The "RUN (job ID): KIND: VALUE" lines of one kind (completed, video, failed, cancelled).</summary>
    private static List<(string RunId, string JobId, string Value)> Outcomes(SubmitRun run, string kind) =>
        [.. OutcomeLine().Matches(run.Output).Where(m => m.Groups["kind"].Value == kind)
            .Select(m => (m.Groups["run"].Value, m.Groups["job"].Value, m.Groups["value"].Value.TrimEnd('\r')))];

    [GeneratedRegex(@"^\S+: submitted: job (?<job>[0-9a-f-]{36}) \(run (?<run>[^)]+)\)", RegexOptions.Multiline)]
    private static partial Regex SubmittedLine();

    [GeneratedRegex(@"^(?<run>\S+) \(job (?<job>[0-9a-f-]{36})\): (?<kind>completed|video|failed|cancelled): (?<value>.+)$", RegexOptions.Multiline)]
    private static partial Regex OutcomeLine();

    public void Dispose() => TestRedis.DeleteFolder(_folder);
}
