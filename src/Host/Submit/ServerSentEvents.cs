using System.Runtime.CompilerServices;
using System.Text;

namespace VideoAkka.Host.Submit;

/// <summary>One `update` event of the events stream: its id (to resume after) and its JSON.</summary>
public sealed record ServerSentUpdate(string? Id, string Data);

/// <summary>
/// Reads text/event-stream as the HTML spec says an EventSource does (fields `id`, `event`, `data`; a blank line ends
/// an event; comment lines are heartbeats). A stream silent for longer than <paramref name="stall"/> (several
/// heartbeats) is taken as dropped: a half-open connection would otherwise keep us waiting for ever.
/// </summary>
public static class ServerSentEvents
{
    public static async IAsyncEnumerable<ServerSentUpdate> ReadAsync(Stream body, TimeSpan stall, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? id = null, name = null;
        var data = new StringBuilder();
        while (true)
        {
            string? line;
            using (var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                silence.CancelAfter(stall);
                try
                {
                    line = await reader.ReadLineAsync(silence.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new IOException($"the events stream was silent for {stall.TotalSeconds:0} s");
                }
            }
            if (line is null)
            {
                yield break;
            }
            if (line.Length == 0)
            {
                if (data.Length > 0 && (name ?? "message") == "update")
                {
                    yield return new ServerSentUpdate(id, data.ToString());
                }
                (id, name) = (null, null);
                data.Clear();
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon == 0)
            {
                continue; // a comment: the heartbeat
            }
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Append(data.Length > 0 ? "\n" : "").Append(value);
                    break;
            }
        }
    }
}
