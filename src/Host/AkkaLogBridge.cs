using System.Collections.Concurrent;
using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Dispatch;
using Akka.Event;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace VideoAkka.Host;

/// <summary>
/// Akka's log events, written through the host's logger factory like every other line. Akka.Hosting's own bridge
/// writes the event's ToString(), which carries Akka's level, timestamp and thread before the message: every Akka line
/// had two timestamps, and its JSON message a second, local-format one. This writes the message alone (after the
/// actor that logged it), under the class that logged it as category, so the logger's timestamp is the only one.
/// </summary>
public sealed class AkkaLogBridge : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory = DependencyResolver.For(Context.System).Resolver.GetService<ILoggerFactory>();
    private readonly ConcurrentDictionary<Type, ILogger> _loggers = new();

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent logged:
                Write(logged);
                return true;
            default:
                return false;
        }
    }

    private void Write(LogEvent logged)
    {
        var logger = _loggers.GetOrAdd(logged.LogClass, CategoryOf);
        var level = logged.LogLevel() switch
        {
            AkkaLogLevel.DebugLevel => Microsoft.Extensions.Logging.LogLevel.Debug,
            AkkaLogLevel.InfoLevel => Microsoft.Extensions.Logging.LogLevel.Information,
            AkkaLogLevel.WarningLevel => Microsoft.Extensions.Logging.LogLevel.Warning,
            _ => Microsoft.Extensions.Logging.LogLevel.Error,
        };
        if (logger.IsEnabled(level))
        {
            logger.Log(level, logged.Cause, "[{AkkaSource}] {Message}", logged.LogSource, MessageOf(logged));
        }
    }

    /// <summary>The class that logged; events logged under a plain string source (stream stages, some of Akka's own)
    /// carry a placeholder class, named here for what it is.</summary>
    private ILogger CategoryOf(Type type) =>
        _factory.CreateLogger(type.Name == "DummyClassForStringSources" ? "Akka" : type.FullName ?? type.Name);

    /// <summary>The message as the actor meant it; a broken format string still shows what was logged.</summary>
    private static string MessageOf(LogEvent logged)
    {
        try
        {
            return logged.Message?.ToString() ?? "";
        }
        catch (FormatException)
        {
            return logged.Message is LogMessage broken ? broken.Format : "(unformattable log message)";
        }
    }
}
