using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using VideoAkka.Host;

namespace VideoAkka.Bench;

/// <summary>
/// Issue 11: the CPU one POST /orchestrate/start costs for hostile bodies up to the 1 MiB limit (deep and wide
/// nesting, many keys, long and escaped strings), against a small valid job. The figure is the process's CPU time
/// (server and client together, so an upper bound for the server) divided by the requests; the budget is 50 ms.
/// </summary>
internal static class InputBench
{
    private const int Requests = 20;
    private const double BudgetMs = 50;
    private const int Limit = 1024 * 1024;

    public static async Task RunAsync()
    {
        await using var service = await BenchService.StartAsync(ServiceRole.Api, BenchService.SmallFrames);
        using var http = new HttpClient { BaseAddress = new Uri(service.Url), Timeout = TimeSpan.FromMinutes(2) };
        Console.WriteLine($"input    {"body",-44} {"bytes",9} {"status",6} {"cpu/request",12} {"wall p50",9}");
        foreach (var (name, body) in Bodies())
        {
            await MeasureAsync(http, name, body);
        }
    }

    private static IEnumerable<(string Name, byte[] Body)> Bodies()
    {
        const string Job = "\"script\":\"Hello there. This is a short test video.\",\"prompts\":[\"a lighthouse\"]";
        yield return ("a small valid job (baseline)", Utf8("{" + Job + ",\"run_id\":\"bench-input-{0}\"}"));
        yield return ("31 nested arrays, 1 MiB of numbers inside", Utf8(Padded("{" + Job + ",\"junk\":" + new string('[', 30), "1,", "1" + new string(']', 30) + "}")));
        yield return ("31 nested arrays, 1 MiB of empty arrays inside", Utf8(Padded("{" + Job + ",\"junk\":" + new string('[', 30), "[],", "[]" + new string(']', 30) + "}")));
        yield return ("1 MiB of arrays each 30 deep", Utf8(Padded("{" + Job + ",\"junk\":[", new string('[', 29) + new string(']', 29) + ",", "[]]}")));
        yield return ("1 MiB of objects each 30 deep", Utf8(Padded("{" + Job + ",\"junk\":[", string.Concat(Enumerable.Repeat("{\"a\":", 29)) + "1" + new string('}', 29) + ",", "1]}")));
        yield return ("1 MiB of keys in one object", Utf8(Padded("{" + Job + ",\"junk\":{", "\"k\":1,", "\"k\":1}}", numbered: true)));
        yield return ("1 MiB of short strings", Utf8(Padded("{" + Job + ",\"junk\":[", "\"ab\",", "\"ab\"]}")));
        yield return ("1 MiB of \\u escapes in one string", Utf8(Padded("{" + Job + ",\"junk\":\"", "\\u00e9", "\"}")));
        yield return ("a 1 MiB script (refused: too long)", Utf8(Padded("{\"prompts\":[\"a\"],\"script\":\"", "word ", "\"}")));
        yield return ("a lone surrogate at the end of a 1 MiB string", Utf8(Padded("{" + Job + ",\"junk\":\"", "\\u00e9", "\\ud800\"}")));
        var scenes = string.Join(",", Enumerable.Range(0, 100).Select(i => $"{{\"image\":\"{new string('a', 3990)} {i}\",\"duration\":0.5}}"));
        yield return ("a valid job of 100 long scenes, 1 MiB", Utf8(Padded("{\"script\":\"" + string.Concat(Enumerable.Repeat("Hello there. ", 1500)) + "\",\"prompts\":[" + scenes + "],\"run_id\":\"bench-long-{0}\",\"notes\":\"", "n", "\"}")));
    }

    /// <summary>Start, then the unit repeated until the body is just under the limit, then the end.</summary>
    private static string Padded(string start, string unit, string end, bool numbered = false)
    {
        var text = new StringBuilder(start);
        var room = Limit - 64 - start.Length - end.Length;
        for (var i = 0; text.Length - start.Length + unit.Length + 8 < room; i++)
        {
            text.Append(numbered ? unit.Replace("\"k\"", $"\"k{i}\"") : unit);
        }
        return text.Append(end).ToString();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task MeasureAsync(HttpClient http, string name, byte[] template)
    {
        var text = Encoding.UTF8.GetString(template);
        var status = 0;
        async Task<double> SendAsync(int i)
        {
            var body = text.Contains("{0}", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes(text.Replace("{0}", $"{name.GetHashCode():x}-{i}")) : template;
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync("/orchestrate/start", content);
            await response.Content.ReadAsByteArrayAsync();
            status = (int)response.StatusCode;
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        for (var i = 0; i < 3; i++)
        {
            await SendAsync(-i - 1); // warm-up: JIT and buffers
        }
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var walls = new double[Requests];
        for (var i = 0; i < Requests; i++)
        {
            walls[i] = await SendAsync(i);
        }
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / Requests;
        Array.Sort(walls);
        Console.WriteLine($"input    {name,-44} {template.Length,9} {status,6} {cpuMs,9:0.0} ms {walls[Requests / 2],6:0.0} ms{(cpuMs > BudgetMs ? "   over the 50 ms budget" : "")}");
    }
}
