using System.Net;
using System.Text;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>The JSON media types a job is accepted with (the refused ones are in <see cref="BadInputCases"/>).</summary>
public sealed class ContentTypeSpecs
{
    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("text/json")]
    [InlineData("application/vnd.videoakka+json")]
    public async Task A_job_is_accepted_as_json_with_or_without_a_json_content_type(string? contentType)
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(JobBodies.Simple("typed-run")));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await api.Http.PostAsync("/orchestrate/start", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
