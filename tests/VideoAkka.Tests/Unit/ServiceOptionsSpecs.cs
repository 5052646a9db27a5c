using VideoAkka.Host;

namespace VideoAkka.Tests.Unit;

/// <summary>How the service reads its environment: VIDEOAKKA_ROLE, the seed's variables, and the configuration file
/// VIDEOAKKA_CONFIG names. Each spec passes its own variables; the process's are never changed.</summary>
public sealed class ServiceOptionsSpecs
{
    private static ServiceOptions FromVariables(params (string Name, string Value)[] variables)
    {
        var set = variables.ToDictionary(v => v.Name, v => v.Value);
        return ServiceOptions.From(name => set.GetValueOrDefault(name));
    }

    [Theory]
    [InlineData("api", ServiceRole.Api)]
    [InlineData("worker", ServiceRole.Worker)]
    [InlineData("both", ServiceRole.Both)]
    public void VIDEOAKKA_ROLE_names_the_role(string value, ServiceRole role) =>
        Assert.Equal(role, FromVariables(("VIDEOAKKA_ROLE", value)).Role);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_VIDEOAKKA_ROLE_the_process_runs_both_api_and_worker(string? value) =>
        Assert.Equal(ServiceRole.Both, value is null ? FromVariables().Role : FromVariables(("VIDEOAKKA_ROLE", value)).Role);

    [Theory]
    [InlineData("workers")]
    [InlineData("API")]
    [InlineData("api,worker")]
    [InlineData(" api")]
    public void Any_other_role_is_refused_naming_the_variable_the_choices_and_the_value(string value)
    {
        var refused = Assert.Throws<ArgumentException>(() => FromVariables(("VIDEOAKKA_ROLE", value)));

        Assert.Equal($"VIDEOAKKA_ROLE must be api, worker or both, got \"{value}\"", refused.Message);
    }

    [Theory]
    [InlineData(null, LogFormat.Text)]
    [InlineData("", LogFormat.Text)]
    [InlineData("text", LogFormat.Text)]
    [InlineData("json", LogFormat.Json)]
    public void VIDEOAKKA_LOG_FORMAT_picks_text_or_json_and_defaults_to_text(string? value, LogFormat format) =>
        Assert.Equal(format, value is null ? FromVariables().LogFormat : FromVariables(("VIDEOAKKA_LOG_FORMAT", value)).LogFormat);

    [Theory]
    [InlineData("JSON")]
    [InlineData("logfmt")]
    public void Any_other_log_format_is_refused_naming_the_variable_the_choices_and_the_value(string value)
    {
        var refused = Assert.Throws<ArgumentException>(() => FromVariables(("VIDEOAKKA_LOG_FORMAT", value)));

        Assert.Equal($"VIDEOAKKA_LOG_FORMAT must be text or json, got \"{value}\"", refused.Message);
    }

    [Fact]
    public void The_seed_variables_set_their_options()
    {
        var options = FromVariables(
            ("REDIS_URL", "redis://cache.local:6379/0"),
            ("DATA_SHARED_BASE", "/srv/videos"),
            ("COMFYUI_URL", "http://gpu-1:8188"),
            ("VIDEO_COMPLETED_N8N_WEBHOOK_URL", "https://n8n.local/webhook/done"),
            ("VIDEOAKKA_CONFIG", "/etc/videoakka/akka.hocon"));

        Assert.Equal(
            ("redis://cache.local:6379/0", "/srv/videos", "http://gpu-1:8188", "https://n8n.local/webhook/done", "/etc/videoakka/akka.hocon"),
            (options.RedisUrl, options.DataRoot, options.ComfyUiUrl, options.WebhookUrl, options.ConfigFile));
    }

    [Fact]
    public void Without_REDIS_URL_the_service_runs_its_own_redis_under_the_data_folder() =>
        Assert.Equal((null, "data/shared"), (FromVariables().RedisUrl, FromVariables().DataRoot));

    [Fact]
    public void A_configuration_file_that_does_not_exist_is_refused_naming_its_full_path()
    {
        var missing = Path.Combine("no-such-folder", "akka.hocon");

        var refused = Assert.Throws<FileNotFoundException>(() => HoconFile.Load(missing, null));

        Assert.Equal($"The configuration file {Path.Combine(Environment.CurrentDirectory, "no-such-folder", "akka.hocon")} (VIDEOAKKA_CONFIG) does not exist", refused.Message);
    }
}
