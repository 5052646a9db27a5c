namespace VideoAkka.Host.Submit;

/// <summary>`submit FILE.json|FILE.jsonl [--wait] [--url URL]`, with the service's address and API key from the
/// environment (VIDEOAKKA_URL, VIDEOAKKA_API_KEY). The key is only ever put in a header, never printed.</summary>
public sealed record SubmitArguments(string File, bool Wait, Uri BaseUrl, string? ApiKey)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public const string Usage = "usage: videoakka submit FILE.json|FILE.jsonl [--wait] [--url URL]";

    /// <returns>The arguments, or null with <paramref name="error"/> saying what to change.</returns>
    public static SubmitArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string error)
    {
        string? file = null;
        var wait = false;
        var url = environment("VIDEOAKKA_URL");
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--wait" or "-w":
                    wait = true;
                    break;
                case "--url" when i + 1 < args.Count:
                    url = args[++i];
                    break;
                case var option when option.StartsWith("--url=", StringComparison.Ordinal):
                    url = option["--url=".Length..];
                    break;
                case var option when option.StartsWith('-'):
                    error = $"unknown option {option}\n{Usage}";
                    return null;
                case var path when file is null:
                    file = path;
                    break;
                default:
                    error = $"one file at a time (got {file} and {args[i]})\n{Usage}";
                    return null;
            }
        }
        if (file is null)
        {
            error = Usage;
            return null;
        }
        if (!ServiceAddress.TryParse(string.IsNullOrWhiteSpace(url) ? DefaultUrl : url, out var baseUrl, out error))
        {
            return null;
        }
        // The service takes several keys while one is rotated out; a client sends one.
        var key = environment("VIDEOAKKA_API_KEY")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        error = "";
        return new SubmitArguments(file, wait, baseUrl, key);
    }
}
