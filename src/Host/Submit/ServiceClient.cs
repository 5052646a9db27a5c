using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace VideoAkka.Host.Submit;

/// <summary>How the API answered a submission.</summary>
public abstract record SubmitAnswer;

public sealed record Accepted(string JobId) : SubmitAnswer;

/// <summary>A 4xx: the job itself, or the key, is wrong. <see cref="Reason"/> is the problem's title and detail.</summary>
public sealed record Refused(int Status, string Reason) : SubmitAnswer;

/// <summary>No answer, or a 5xx: the service (or its Redis) is not there.</summary>
public sealed record Unavailable(string Reason) : SubmitAnswer;

/// <summary>The service could not be asked (connection refused, timeout, 5xx).</summary>
public sealed class ServiceUnavailableException(string message) : Exception(message);

/// <summary>
/// The client side of the HTTP API, and nothing else: submit, read a status, open the all-jobs events stream. The
/// API key goes in the X-API-Key header of every request; redirects are not followed, so the key never goes to
/// another host.
/// </summary>
public sealed class ServiceClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public ServiceClient(Uri baseUrl, string? apiKey)
    {
        BaseUrl = baseUrl;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10) };
        // The events stream stays open for as long as we wait: each call has its own deadline instead.
        _http = new HttpClient(handler)
        {
            BaseAddress = baseUrl,
            Timeout = Timeout.InfiniteTimeSpan,
            // A status record holds its payload (at most 1 MiB); nothing we read buffered is larger.
            MaxResponseContentBufferSize = 4 * 1024 * 1024,
        };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", apiKey);
        }
    }

    public Uri BaseUrl { get; }

    public string VideoUrl(string jobId) => $"{ServiceAddress.Shown(BaseUrl)}/orchestrate/video/{Uri.EscapeDataString(jobId)}";

    public async Task<SubmitAnswer> SubmitAsync(string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        try
        {
            using var deadline = Deadline(cancellationToken);
            using var response = await _http.PostAsync("orchestrate/start", content, deadline.Token);
            var answer = await response.Content.ReadAsStringAsync(deadline.Token);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Accepted && JobSnapshot.Parse(answer) is { } accepted)
            {
                return new Accepted(accepted.JobId);
            }
            return status >= 500 ? new Unavailable(Reason(status, answer)) : new Refused(status, Reason(status, answer));
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            return new Unavailable(Unreachable(e));
        }
    }

    /// <returns>The job's record, or null if the service does not know it.</returns>
    public async Task<JobSnapshot?> StatusAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = Deadline(cancellationToken);
            using var response = await _http.GetAsync($"orchestrate/status/{Uri.EscapeDataString(jobId)}", deadline.Token);
            var answer = await response.Content.ReadAsStringAsync(deadline.Token);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => JobSnapshot.Parse(answer),
                HttpStatusCode.NotFound => null,
                _ => throw new ServiceUnavailableException(Reason((int)response.StatusCode, answer)),
            };
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            throw new ServiceUnavailableException(Unreachable(e));
        }
    }

    /// <summary>Opens GET /orchestrate/events; once this returns, every update from then on is in the stream.</summary>
    /// <param name="lastEventId">Resume after this event: the updates missed while disconnected come first.</param>
    /// <returns>The open response (the caller reads and disposes it), or null when the service refused the
    /// Last-Event-ID (no longer in its stream): reconnect without it.</returns>
    public async Task<HttpResponseMessage?> OpenEventsAsync(string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "orchestrate/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }
        HttpResponseMessage response;
        try
        {
            using var deadline = Deadline(cancellationToken);
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            throw new ServiceUnavailableException(Unreachable(e));
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.BadRequest && lastEventId is not null)
            {
                return null;
            }
            throw new ServiceUnavailableException(Reason((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken)));
        }
    }

    private static CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        return deadline;
    }

    /// <summary>A refused connection, a name that does not resolve, a dropped connection, or no answer in time; not
    /// the user's own Ctrl-C.</summary>
    private static bool IsUnreachable(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static string Unreachable(Exception e) => e switch
    {
        OperationCanceledException => $"no answer within {RequestTimeout.TotalSeconds:0} s",
        // "An error occurred while sending the request" says nothing: the inner exception says what happened.
        HttpRequestException { InnerException: { } inner } => Printable.Of(inner.Message),
        _ => Printable.Of(e.Message),
    };

    /// <summary>"400 The request is not a valid job: prompts is required": an RFC 7807 problem's title and detail.</summary>
    private static string Reason(int status, string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                var title = Field(problem.RootElement, "title");
                var detail = Field(problem.RootElement, "detail");
                if (title.Length > 0 || detail.Length > 0)
                {
                    return Printable.Of($"{status} {title}{(detail.Length > 0 ? ": " + detail : "")}");
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem body (a proxy's page): the status is all we say.
        }
        return $"{status} {Printable.Of(((HttpStatusCode)status).ToString())}";
    }

    private static string Field(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";

    public void Dispose() => _http.Dispose();
}
