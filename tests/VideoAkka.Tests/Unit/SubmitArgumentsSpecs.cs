using VideoAkka.Host.Submit;

namespace VideoAkka.Tests.Unit;

/// <summary>`submit`'s command line and environment: where it sends, what key, and what it refuses to start with.</summary>
public sealed class SubmitArgumentsSpecs
{
    private static SubmitArguments? Parse(string[] args, string? url = null, string? key = null) =>
        SubmitArguments.Parse(args, name => name switch
        {
            "VIDEOAKKA_URL" => url,
            "VIDEOAKKA_API_KEY" => key,
            _ => null,
        }, out _);

    [Fact]
    public void Without_url_or_environment_it_talks_to_the_local_default_service()
    {
        var arguments = Parse(["jobs.jsonl"])!;

        Assert.Equal(("jobs.jsonl", false, "http://127.0.0.1:8080/", null), (arguments.File, arguments.Wait, arguments.BaseUrl.ToString(), arguments.ApiKey));
    }

    [Fact]
    public void The_url_option_wins_over_the_environment_and_a_path_prefix_is_kept()
    {
        var arguments = Parse(["--wait", "job.json", "--url", "https://videos.example.com/akka"], url: "http://elsewhere:1")!;

        Assert.True(arguments.Wait);
        Assert.Equal("https://videos.example.com/akka/", arguments.BaseUrl.ToString());
        Assert.Equal("https://videos.example.com/akka/orchestrate/start", new Uri(arguments.BaseUrl, "orchestrate/start").ToString());
    }

    [Fact]
    public void Of_a_comma_separated_key_list_the_first_key_is_sent()
    {
        Assert.Equal("first-key-0123456789", Parse(["job.json"], key: " first-key-0123456789 , second-key-0123456789")!.ApiKey);
    }

    [Theory]
    [InlineData(new[] { "job.json", "--url", "ftp://host/" }, "must be an absolute http:// or https:// URL")]
    [InlineData(new[] { "job.json", "--url", "not a url" }, "must be an absolute http:// or https:// URL")]
    [InlineData(new[] { "job.json", "--follow" }, "unknown option --follow")]
    [InlineData(new[] { "a.json", "b.json" }, "one file at a time")]
    [InlineData(new string[0], "usage: videoakka submit")]
    public void A_wrong_command_line_is_refused_saying_what_to_change(string[] args, string expected)
    {
        Assert.Null(SubmitArguments.Parse(args, _ => null, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_url_with_a_password_is_shown_without_it()
    {
        Assert.Equal("https://example.com:8443/api", ServiceAddress.Shown(new Uri("https://user:secret@example.com:8443/api/")));
    }
}
