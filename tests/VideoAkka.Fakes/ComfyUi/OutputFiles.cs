using System.Text.RegularExpressions;

namespace VideoAkka.Fakes;

/// <summary>A file an output node wrote, as the ui output names it.</summary>
internal sealed record SavedFile(string Filename, string Subfolder, string Type, string FullPath);

/// <summary>A save node tried to write outside its folder (the real nodes raise, which is an execution error).</summary>
internal sealed class SaveOutsideOutputFolderException(string message) : Exception(message);

/// <summary>Writes output files under ComfyUI's naming rules: "a/b" gives subfolder "a" and "b_00001_.png", the
/// counter continuing after the largest one already on disk for that prefix (whatever the extension). VHS names
/// have no trailing underscore. One lock: prompts running in parallel must not pick the same counter.</summary>
internal sealed class OutputFiles(DataFolders folders)
{
    private readonly Lock _naming = new();

    /// <summary>Core save nodes (SaveImage, SaveVideo, SaveWEBM, SaveAnimatedWEBP/PNG).</summary>
    public Task<SavedFile> SaveAsync(string prefix, string ext, string sampleKind, bool empty) =>
        WriteAsync(folders.Output, "output", prefix, sampleKind, empty, (name, n) => $"{name}_{n:00000}_.{ext}", trailing: "_");

    /// <summary>VHS_VideoCombine: "b_00001.mp4", plus the first-frame PNG it writes beside it.</summary>
    public async Task<SavedFile> SaveVhsAsync(string prefix, string ext, bool toTemp, bool empty)
    {
        var (dir, type) = toTemp ? (folders.Temp, "temp") : (folders.Output, "output");
        var saved = await WriteAsync(dir, type, prefix, ext, empty, (name, n) => $"{name}_{n:00000}.{ext}", trailing: "[.-]")
            .ConfigureAwait(false);
        File.Copy(await SampleMedia.PathAsync("png").ConfigureAwait(false), Path.ChangeExtension(saved.FullPath, ".png"), overwrite: true);
        return saved;
    }

    /// <summary>PreviewImage: "ComfyUI_temp_abcde_00001_.png" in temp/, no subfolder; PreviewAudio the same in flac.</summary>
    public Task<SavedFile> PreviewAsync(string sampleKind, string ext, bool empty)
    {
        var letters = new string([.. Enumerable.Range(0, 5).Select(_ => (char)('a' + Random.Shared.Next(26)))]);
        return WriteAsync(folders.Temp, "temp", $"ComfyUI_temp_{letters}", sampleKind, empty, (name, n) => $"{name}_{n:00000}_.{ext}", trailing: "_");
    }

    private async Task<SavedFile> WriteAsync(
        string baseDir, string type, string prefix, string sampleKind, bool empty, Func<string, int, string> fileName, string trailing)
    {
        var sample = await SampleMedia.PathAsync(sampleKind).ConfigureAwait(false);
        var slash = prefix.LastIndexOf('/');
        var (subfolder, name) = slash < 0 ? ("", prefix) : (prefix[..slash], prefix[(slash + 1)..]);
        var dir = DataFolders.Under(baseDir, subfolder)
            ?? throw new SaveOutsideOutputFolderException(
                $"**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: {Path.Combine(baseDir, subfolder)}\n         output_dir: {baseDir}");
        Directory.CreateDirectory(dir);
        lock (_naming)
        {
            var counter = NextCounter(dir, name, trailing);
            var path = Path.Combine(dir, fileName(name, counter));
            if (empty)
            {
                File.WriteAllBytes(path, []);
            }
            else
            {
                File.Copy(sample, path);
            }
            return new SavedFile(Path.GetFileName(path), subfolder, type, path);
        }
    }

    private static int NextCounter(string dir, string name, string trailing)
    {
        var pattern = new Regex($"^{Regex.Escape(name)}_(\\d+){trailing}", RegexOptions.CultureInvariant);
        var used = Directory.EnumerateFiles(dir)
            .Select(f => pattern.Match(Path.GetFileName(f)))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        return used.DefaultIfEmpty(0).Max() + 1;
    }
}
