namespace VideoAkka.Tests.Support;

/// <summary>
/// A stand-in for espeak-ng that never returns for one voice (or for every voice): a job that speaks with it stays in
/// its tts stage for as long as the spec needs it running, however fast the machine. Specs that need a job to be
/// mid-run when they act (kill, stop, cancel) use it instead of a long job, which a fast idle machine finishes first.
/// </summary>
public static class HangingVoice
{
    /// <summary>The voice name that makes <see cref="EspeakFor"/>'s wrapper hang; any other is spoken by espeak-ng.</summary>
    public const string Name = "zz-hang";

    /// <summary>A HOCON line pointing videoakka.tools.espeak-ng at a wrapper that hangs for <see cref="Name"/> only.</summary>
    public static string EspeakFor(string folder) =>
        Tool(folder, $"#!/bin/sh\ncase \"$*\" in *{Name}*) exec sleep 3600 ;; esac\nexec espeak-ng \"$@\"\n");

    /// <summary>A HOCON line pointing videoakka.tools.espeak-ng at a wrapper that hangs for every voice.</summary>
    public static string EspeakAlways(string folder) => Tool(folder, "#!/bin/sh\nexec sleep 3600\n");

    private static string Tool(string folder, string script)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "espeak-ng");
        File.WriteAllText(path, script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return $"\nvideoakka.tools.espeak-ng = \"{path}\"\n";
    }
}
