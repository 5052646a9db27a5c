using Microsoft.Extensions.Logging.Console;

namespace VideoAkka.Host;

/// <summary>VIDEOAKKA_LOG_FORMAT: how the console log is written.</summary>
public enum LogFormat
{
    /// <summary>One readable line per entry, the local time once at its start (the default).</summary>
    Text,

    /// <summary>One JSON object per line, for log shippers: a UTC timestamp once, the level, the category, the message,
    /// its structured values and its scopes (a job's lines carry job_id and run_id).</summary>
    Json,
}

public static class LogFormats
{
    /// <summary>VIDEOAKKA_LOG_FORMAT; unset is text.</summary>
    public static LogFormat Parse(string? value) => value switch
    {
        null or "text" => LogFormat.Text,
        "json" => LogFormat.Json,
        var other => throw new ArgumentException($"VIDEOAKKA_LOG_FORMAT must be text or json, got \"{other}\""),
    };

    public static ILoggingBuilder AddVideoAkkaConsole(this ILoggingBuilder logging, LogFormat format)
    {
        // Both configure the one console provider (its formatter), so a line is never written twice.
        return format switch
        {
            LogFormat.Json => logging.AddJsonConsole(console =>
            {
                console.IncludeScopes = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                console.JsonWriterOptions = new() { Indented = false };
            }),
            _ => logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            }),
        };
    }
}
