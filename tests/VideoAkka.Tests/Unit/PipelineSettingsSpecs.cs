using Akka.Configuration;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Notify;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class PipelineSettingsSpecs
{
    private static PipelineSettings Load(string hocon = "") => PipelineSettings.Create(ConfigurationFactory.ParseString(hocon));

    private static void RefusedNaming(string hocon, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => Load(hocon));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void The_defaults_set_each_stage_parallelism() =>
        Assert.Equal(new StageSettings(ImageGen: 2, VideoGen: 2, Tts: 1, Subtitle: 2, Stitch: 1), Load().Stages);

    [Fact]
    public void Each_stage_has_a_timeout_for_one_unit_of_its_work_which_config_can_change()
    {
        Assert.Equal(
            new StageTimeouts(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30)),
            Load().Stages.Timeouts);
        Assert.Equal(TimeSpan.FromSeconds(90), Load("videoakka.stages.stitch.timeout = 90s").Stages.Timeouts.Stitch);
    }

    [Theory]
    [InlineData("videoakka.stages.image-gen.timeout = 0s", "stages.image-gen.timeout")]
    [InlineData("videoakka.stages.tts.timeout = 0ms", "stages.tts.timeout")]
    [InlineData("videoakka.stages.stitch.timeout = 30d", "stages.stitch.timeout")]
    public void A_stage_timeout_that_is_not_a_positive_duration_of_at_most_a_week_stops_the_start(string hocon, string key) =>
        RefusedNaming(hocon, key);

    [Fact]
    public void The_default_sizes_are_1080x1920_1920x1080_and_1080x1080()
    {
        var sizes = Load().Sizes;

        Assert.Equal((1080, 1920), sizes[AspectRatio.Portrait]);
        Assert.Equal((1920, 1080), sizes[AspectRatio.Landscape]);
        Assert.Equal((1080, 1080), sizes[AspectRatio.Square]);
    }

    [Fact]
    public void The_default_output_is_30_fps_4_second_scenes_voice_en_veryfast_crf_20()
    {
        var settings = Load();

        Assert.Equal(30, settings.Fps);
        Assert.Equal(4.0, settings.SceneSeconds);
        Assert.Equal("en", settings.Voice);
        Assert.Equal("veryfast", settings.Render.Preset);
        Assert.Equal(20, settings.Render.Crf);
    }

    [Fact]
    public void The_default_webhook_has_no_url_and_is_tried_until_a_day_has_passed_with_no_cap_on_tries()
    {
        var webhook = Load().Webhook;

        Assert.Null(webhook.Url);
        Assert.Equal(0, webhook.MaxAttempts);
        Assert.Equal(TimeSpan.FromHours(24), webhook.GiveUpAfter);
        Assert.Equal(TimeSpan.FromMinutes(10), webhook.MaxBackoff);
        Assert.Equal(TimeSpan.FromSeconds(1), webhook.FirstBackoff);
        Assert.Equal(TimeSpan.FromSeconds(10), webhook.AttemptTimeout);
    }

    [Fact]
    public void The_default_redis_prefix_is_the_seeds()
    {
        var queue = Load().Queue;

        Assert.Equal("video_orchestrator:queue", queue.Keys.Queue);
        Assert.Equal(TimeSpan.FromSeconds(2), queue.BlockTimeout);
    }

    [Fact]
    public void An_empty_worker_id_defaults_to_the_machine_name_with_a_suffix_new_at_every_start()
    {
        var first = Load().Queue.WorkerId;
        var second = Load().Queue.WorkerId;

        Assert.StartsWith(Environment.MachineName + "-", first);
        Assert.StartsWith(Environment.MachineName + "-", second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Max_attempts_defaults_to_three() =>
        Assert.Equal(3, Load().Queue.MaxAttempts);

    [Fact]
    public void Automatic_max_jobs_in_flight_is_the_sum_of_the_stage_parallelisms() =>
        Assert.Equal(2 + 2 + 1 + 2 + 1 + 1, Load().MaxJobsInFlight);

    [Fact]
    public void Automatic_max_jobs_in_flight_follows_overridden_parallelisms() =>
        Assert.Equal(2 + 2 + 1 + 2 + 5 + 1, Load("videoakka.stages.stitch.parallelism = 5").MaxJobsInFlight);

    [Fact]
    public void An_explicit_max_jobs_in_flight_is_kept() =>
        Assert.Equal(3, Load("videoakka.worker.max-jobs-in-flight = 3").MaxJobsInFlight);

    [Fact]
    public void A_hocon_override_wins_over_the_default() =>
        Assert.Equal(3, Load("videoakka.stages.stitch.parallelism = 3").Stages.Stitch);

    [Fact]
    public void An_override_leaves_the_other_defaults_in_place()
    {
        var stages = Load("videoakka.stages.stitch.parallelism = 3").Stages;

        Assert.Equal(new StageSettings(2, 2, 1, 2, 3), stages);
    }

    [Fact]
    public void A_quoted_size_key_overrides_that_aspect_only()
    {
        var sizes = Load("""videoakka.output.sizes."9:16" = "180x320" """).Sizes;

        Assert.Equal((180, 320), sizes[AspectRatio.Portrait]);
        Assert.Equal((1920, 1080), sizes[AspectRatio.Landscape]);
    }

    [Fact]
    public void The_format_for_a_job_takes_the_size_of_its_aspect_and_its_own_fps()
    {
        var format = Load().FormatFor(new JobOptions(AspectRatio.Square, Fps: 24));

        Assert.Equal(new VideoAkka.Pipeline.Jobs.VideoFormat(1080, 1080, 24), format);
    }

    [Fact]
    public void The_format_for_a_job_without_fps_takes_the_configured_fps() =>
        Assert.Equal(30, Load().FormatFor(JobOptions.Default).Fps);

    [Theory]
    [InlineData("image-gen")]
    [InlineData("video-gen")]
    [InlineData("tts")]
    [InlineData("subtitle")]
    [InlineData("stitch")]
    public void A_stage_parallelism_of_zero_is_refused_naming_the_key(string stage) =>
        RefusedNaming($"videoakka.stages.{stage}.parallelism = 0", $"videoakka.stages.{stage}.parallelism");

    [Fact]
    public void A_negative_max_jobs_in_flight_is_refused_naming_the_key() =>
        RefusedNaming("videoakka.worker.max-jobs-in-flight = -1", "videoakka.worker.max-jobs-in-flight");

    [Theory]
    [InlineData("181x320")]
    [InlineData("180x321")]
    [InlineData("1080*1920")]
    [InlineData("big")]
    [InlineData("x")]
    [InlineData("8x8")]
    [InlineData("8000x8000")]
    [InlineData("-180x320")]
    public void An_invalid_size_is_refused_naming_its_key(string size) =>
        RefusedNaming($"videoakka.output.sizes.\"9:16\" = \"{size}\"", "videoakka.output.sizes.\"9:16\"");

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void An_fps_outside_1_to_60_is_refused_naming_the_key(int fps) =>
        RefusedNaming($"videoakka.output.fps = {fps}", "videoakka.output.fps");

    [Theory]
    [InlineData("0")]
    [InlineData("61")]
    public void A_scene_duration_outside_0_to_60_is_refused_naming_the_key(string seconds) =>
        RefusedNaming($"videoakka.output.scene-duration = {seconds}", "videoakka.output.scene-duration");

    [Fact]
    public void An_unknown_preset_is_refused_naming_the_key() =>
        RefusedNaming("videoakka.output.preset = turbo", "videoakka.output.preset");

    [Fact]
    public void A_crf_over_51_is_refused_naming_the_key() =>
        RefusedNaming("videoakka.output.crf = 52", "videoakka.output.crf");

    [Fact]
    public void A_voice_that_is_not_an_espeak_name_is_refused_naming_the_key() =>
        RefusedNaming("videoakka.output.voice = \"en; rm -rf /\"", "videoakka.output.voice");

    [Fact]
    public void Negative_webhook_attempts_are_refused_naming_the_key() =>
        RefusedNaming("videoakka.webhook.attempts = -1", "videoakka.webhook.attempts");

    [Fact]
    public void A_redis_prefix_with_spaces_is_refused_naming_the_key() =>
        RefusedNaming("videoakka.redis.key-prefix = \"my prefix\"", "videoakka.redis.key-prefix");

    [Fact]
    public void A_zero_duration_is_refused_naming_the_key() =>
        RefusedNaming("videoakka.worker.block-timeout = 0s", "videoakka.worker.block-timeout");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_webhook_url_means_no_webhook(string? text) => Assert.Null(WebhookSettings.ParseUrl(text));

    [Theory]
    [InlineData("ftp://x")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("file:///etc/passwd")]
    public void A_webhook_url_that_is_not_absolute_http_is_refused(string text) =>
        Assert.Throws<ArgumentException>(() => WebhookSettings.ParseUrl(text));

    [Theory]
    [InlineData("http://n8n:5678/webhook/video-done")]
    [InlineData("https://example.com/hook")]
    [InlineData("  https://example.com/hook  ")]
    public void An_http_or_https_webhook_url_is_accepted(string text) =>
        Assert.Equal(new Uri(text.Trim()), WebhookSettings.ParseUrl(text));
}
