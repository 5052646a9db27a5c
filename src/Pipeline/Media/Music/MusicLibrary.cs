using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Media.Music;

/// <summary>The music folder of the configuration: a name in options.music is a file's name there without its
/// extension ("calm" is calm.mp3). Looked up on disk each time, so music added to the folder is found at once.</summary>
public sealed record MusicLibrary(string? Folder)
{
    private static readonly string[] Extensions = [".mp3", ".m4a", ".aac", ".wav", ".ogg", ".opus", ".flac"];

    /// <summary>The file for <paramref name="name"/>, or null: not a plain name, no folder, no such file, or a link
    /// (which could lead anywhere on the worker's disk).</summary>
    public string? Find(string name)
    {
        if (Folder is null || !RenderOptionsParser.IsMusicName(name))
        {
            return null;
        }
        foreach (var extension in Extensions)
        {
            var path = Path.Combine(Folder, name + extension);
            if (File.Exists(path) && new FileInfo(path).LinkTarget is null)
            {
                return path;
            }
        }
        return null;
    }

    public bool Contains(string name) => Find(name) is not null;
}
