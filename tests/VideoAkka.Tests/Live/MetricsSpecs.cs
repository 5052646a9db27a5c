using System.Net;
using VideoAkka.Fakes;
using VideoAkka.Host;
using VideoAkka.Tests.Support;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;

namespace VideoAkka.Tests.Live;

/// <summary>Issue 12, Must show 3: /metrics exposes the queue, the jobs, the stages, the GPU load, the webhooks and the
/// HTTP requests, with values that move when jobs run.</summary>
public sealed class MetricsSpecs
{
    private const string FastSampling = ServiceUnderTest.SmallFrames + "\nvideoakka.api.metrics-sample-interval = 200ms";

    [Fact]
    public async Task A_job_that_runs_moves_its_stage_histograms_its_outcome_and_its_webhook_and_leaves_no_work_in_flight()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(FastSampling, webhookUrl: receiver.Url);
        var before = await MetricsScrape.ReadAsync(service.Http);

        var jobId = await service.SubmitAsync(JobBodies.Simple("metered-run", scenes: 2));
        await receiver.WaitForBodiesAsync(1);

        var after = await Eventually.WaitForAsync(async () =>
        {
            var scrape = await MetricsScrape.ReadAsync(service.Http);
            return scrape.ValueOrZero("videoakka_webhook_deliveries_total", ("result", "delivered")) >= 1 ? scrape : null;
        }, "the delivered webhook to be counted");
        Assert.Equal(0, before.ValueOrZero("videoakka_jobs_finished_total", ("outcome", "completed")));
        Assert.Equal(1, after.Value("videoakka_jobs_finished_total", ("outcome", "completed")));
        Assert.Equal(1, after.Value("videoakka_webhook_deliveries_total", ("result", "delivered")));
        foreach (var (stage, units) in new[] { ("image-gen", 2), ("video-gen", 2), ("tts", 1), ("subtitle", 1), ("stitch", 1), ("qc", 1) })
        {
            Assert.Equal((stage, 0.0), (stage, before.ValueOrZero("videoakka_stage_duration_seconds_count", ("stage", stage))));
            Assert.Equal((stage, (double)units), (stage, after.ValueOrZero("videoakka_stage_duration_seconds_count", ("stage", stage))));
            Assert.True(after.ValueOrZero("videoakka_stage_duration_seconds_sum", ("stage", stage)) > 0, $"{stage} took no time:\n{after.Text}");
            Assert.Equal((stage, 0.0), (stage, after.ValueOrZero("videoakka_stage_in_flight", ("stage", stage))));
        }
        Assert.Contains("videoakka_stage_duration_seconds_bucket{", after.Text, StringComparison.Ordinal);
        Assert.Equal("completed", (await service.StatusAsync(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_stage_at_work_shows_its_unit_in_flight()
    {
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromSeconds(4) });
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        await service.SubmitAsync(Body("in-flight-run", Scene("a lighthouse at dusk")));
        await Eventually.WaitUntilAsync(() => Task.FromResult(comfy.Running > 0), "the image prompt to run");

        await Eventually.WaitUntilAsync(async () =>
            (await MetricsScrape.ReadAsync(service.Http)).ValueOrZero("videoakka_stage_in_flight", ("stage", "image-gen")) == 1,
            "the image-gen unit to be counted in flight");
    }

    [Fact]
    public async Task An_api_process_reports_the_jobs_waiting_in_the_queue_and_none_processing()
    {
        await using var api = await ServiceUnderTest.StartAsync(FastSampling, role: ServiceRole.Api);

        await api.SubmitAsync(JobBodies.Simple("queued-metric-1", scenes: 1));
        await api.SubmitAsync(JobBodies.Simple("queued-metric-2", scenes: 1));

        var scrape = await Eventually.WaitForAsync(async () =>
        {
            var read = await MetricsScrape.ReadAsync(api.Http);
            return read.Value("videoakka_queue_depth") == 2 ? read : null;
        }, "the queue depth to read 2");
        Assert.Equal(0, scrape.Value("videoakka_jobs_processing"));
    }

    [Fact]
    public async Task Http_requests_are_counted_by_route_and_status()
    {
        await using var api = await ServiceUnderTest.StartAsync(FastSampling, role: ServiceRole.Api);

        using var missing = await api.Http.GetAsync("/orchestrate/status/no-such-job");

        await Eventually.WaitUntilAsync(async () =>
            (await MetricsScrape.ReadAsync(api.Http)).ValueOrZero("http_server_request_duration_seconds_count",
                ("http_route", "/orchestrate/status/{job_id}"), ("http_response_status_code", ((int)missing.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture))) >= 1,
            "the status request to be counted");
    }

    [Fact]
    public async Task ComfyUI_busy_fraction_reads_above_zero_while_a_generation_runs_and_zero_after()
    {
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromSeconds(3) });
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);
        var instance = comfy.Url.TrimEnd('/');

        var jobId = await service.SubmitAsync(Body("busy-run", Scene("a fox in snow")));
        await Eventually.WaitUntilAsync(() => Task.FromResult(comfy.Running > 0), "a prompt to run");
        var busy = await Eventually.WaitForAsync(async () =>
        {
            var scrape = await MetricsScrape.ReadAsync(service.Http);
            return scrape.ValueOrZero("videoakka_comfyui_busy_fraction", ("instance", instance)) > 0 || comfy.Running == 0 ? scrape : null;
        }, "the instance to read busy");
        Assert.True(busy.ValueOrZero("videoakka_comfyui_busy_fraction", ("instance", instance)) > 0, busy.Text);

        Assert.Equal("completed", Status(await service.WaitUntilFinishedAsync(jobId)));
        var idle = await MetricsScrape.ReadAsync(service.Http);
        Assert.Equal(0, idle.Value("videoakka_comfyui_busy_fraction", ("instance", instance)));
    }

    [Fact]
    public async Task A_service_reports_only_its_own_work_when_another_runs_in_the_same_process()
    {
        await using var busy = await ServiceUnderTest.StartAsync(FastSampling);
        await using var idle = await ServiceUnderTest.StartAsync(FastSampling, role: ServiceRole.Api);

        var jobId = await busy.SubmitAsync(JobBodies.Simple("own-metrics-run", scenes: 1, voiceover: false));
        Assert.Equal("completed", (await busy.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());

        await Eventually.WaitUntilAsync(async () =>
            (await MetricsScrape.ReadAsync(busy.Http)).Value("videoakka_jobs_finished_total", ("outcome", "completed")) == 1,
            "the busy service to count its job");
        var other = await MetricsScrape.ReadAsync(idle.Http);
        Assert.Null(other.Value("videoakka_jobs_finished_total"));
        Assert.Null(other.Value("videoakka_stage_duration_seconds_count"));
    }

    [Fact]
    public async Task Metrics_need_no_api_key_and_name_no_webhook_url_or_key()
    {
        const string token = "hook-token-5e1b77";
        await using var api = await ServiceUnderTest.StartAsync(FastSampling, role: ServiceRole.Api, apiKeys: "metrics-key-93ac",
            webhookUrl: $"http://127.0.0.1:9/webhook/{token}");

        var body = (await Eventually.WaitForAsync(async () =>
        {
            using var response = await api.Http.GetAsync("/metrics"); // no X-API-Key
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            return text.Contains("videoakka_queue_depth", StringComparison.Ordinal) ? text : null;
        }, "the queue depth to be sampled"));


        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        Assert.DoesNotContain("metrics-key-93ac", body, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Redis.Url, body, StringComparison.Ordinal);
    }
}
