using System.Text;
using System.Text.Json;

namespace VideoAkka.Tests.Support;

/// <summary>One Server-Sent Event as a client sees it: id, event name, data (null for a comment line).</summary>
public sealed record ServerSentEvent(string? Id, string? Event, string? Data, string? Comment)
{
    public JsonElement Json => JsonDocument.Parse(Data!).RootElement.Clone();
}

/// <summary>Reads a text/event-stream response as a browser's EventSource would, one event (or comment) at a time.</summary>
public sealed class EventStreamReader(Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    /// <returns>The next event or comment, or null when the stream ended.</returns>
    public async Task<ServerSentEvent?> NextAsync(CancellationToken cancellationToken)
    {
        string? id = null, name = null, comment = null;
        var data = new StringBuilder();
        var any = false;
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (any)
                {
                    return new ServerSentEvent(id, name, data.Length == 0 ? null : data.ToString(), comment);
                }
                continue;
            }
            any = true;
            if (line.StartsWith(':'))
            {
                comment = line[1..].Trim();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }
        return null;
    }

    public void Dispose() => _reader.Dispose();
}
