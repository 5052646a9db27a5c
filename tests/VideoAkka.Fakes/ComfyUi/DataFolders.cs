using System.Collections.Concurrent;

namespace VideoAkka.Fakes;

/// <summary>ComfyUI's input/, output/ and temp/ folders under one root. Several fakes may share a root (a test
/// restarting the fake on the same options); the root is deleted when the last one lets go of it.</summary>
internal sealed class DataFolders : IDisposable
{
    private static readonly ConcurrentDictionary<string, int> Users = new(StringComparer.Ordinal);
    private int _disposed;

    private DataFolders(string root)
    {
        Root = root;
        Input = Directory.CreateDirectory(Path.Combine(root, "input")).FullName;
        Output = Directory.CreateDirectory(Path.Combine(root, "output")).FullName;
        Temp = Directory.CreateDirectory(Path.Combine(root, "temp")).FullName;
    }

    public string Root { get; }
    public string Input { get; }
    public string Output { get; }
    public string Temp { get; }

    public static DataFolders Acquire(string? root)
    {
        var full = Path.GetFullPath(root ?? Path.Combine(Path.GetTempPath(), $"videoakka-fake-comfyui-{Guid.NewGuid():N}"));
        Users.AddOrUpdate(full, 1, (_, n) => n + 1);
        return new DataFolders(full);
    }

    /// <summary>The folder for a /view or /upload "type", or null for an unknown type.</summary>
    public string? ByType(string type) => type switch
    {
        "input" => Input,
        "output" => Output,
        "temp" => Temp,
        _ => null,
    };

    /// <summary>Resolves "sub/dir" under a base folder; null if it escapes it (the real server answers 403 or 400).</summary>
    public static string? Under(string baseDir, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(baseDir, relative));
        var inside = full == baseDir || full.StartsWith(baseDir + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inside ? full : null;
    }

    /// <summary>LoadImage's check: "sub/name.png", optionally annotated " [output]" / " [input]" / " [temp]".</summary>
    public bool AnnotatedFileExists(string annotated)
    {
        var (name, kind) = SplitAnnotation(annotated);
        return name.Length > 0 && Under(ByType(kind ?? "input")!, name) is { } path && File.Exists(path);
    }

    /// <summary>folder_paths.annotated_filepath: "name.png [output]" names a file in another folder than the
    /// request's type says. The kind is null when there is no annotation.</summary>
    public static (string Name, string? Kind) SplitAnnotation(string name)
    {
        foreach (var kind in (string[])["output", "input", "temp"])
        {
            if (name.EndsWith($"[{kind}]", StringComparison.Ordinal))
            {
                // Python's name[:-9] for "[output]": the annotation and the space before it.
                var cut = kind.Length + 3;
                return (name.Length >= cut ? name[..^cut] : "", kind);
            }
        }
        return (name, null);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        if (Users.AddOrUpdate(Root, 0, (_, n) => n - 1) <= 0 && Users.TryRemove(new KeyValuePair<string, int>(Root, 0)))
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temp folder is harmless; failing a test over it is not.
            }
        }
    }
}
