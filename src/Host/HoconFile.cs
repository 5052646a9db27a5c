using Akka.Configuration;
using VideoAkka.Pipeline.Graph;

namespace VideoAkka.Host;

/// <summary>Loads config/akka.hocon over the embedded defaults, with the caller's overrides on top.</summary>
public static class HoconFile
{
    public const string DefaultRelativePath = "config/akka.hocon";

    public static (Config Config, string? Source) Load(string? explicitPath, string? overrides)
    {
        var path = explicitPath ?? Candidates().FirstOrDefault(File.Exists);
        if (explicitPath is not null && !File.Exists(explicitPath))
        {
            // The full path: a relative one is read from the working directory, which the operator may not have in mind.
            throw new FileNotFoundException($"The configuration file {Path.GetFullPath(explicitPath)} (VIDEOAKKA_CONFIG) does not exist", explicitPath);
        }
        var config = path is null ? Config.Empty : ConfigurationFactory.ParseString(File.ReadAllText(path));
        if (!string.IsNullOrWhiteSpace(overrides))
        {
            config = ConfigurationFactory.ParseString(overrides).WithFallback(config);
        }
        return (config.WithFallback(PipelineSettings.DefaultConfig()), path);
    }

    private static IEnumerable<string> Candidates()
    {
        yield return Path.GetFullPath(DefaultRelativePath);
        yield return Path.Combine(AppContext.BaseDirectory, DefaultRelativePath);
    }
}
