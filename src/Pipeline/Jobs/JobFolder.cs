using System.Globalization;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// A job's folder, DATA_SHARED_BASE/{run_id}, and the one home of the seed's file names inside it. The worker writes
/// these files and the API reads them through this record, so a name is never spelled twice. The run id is checked
/// again here, not only at the HTTP door, and the folder must lie directly under the base: nothing a client sends can
/// reach outside it. Names from outside (a backend's output, a client's file name) never choose a path in here.
/// </summary>
public sealed partial record JobFolder(string Path)
{
    public const string ManifestName = "manifest.json";
    public const string VoiceoverName = "voiceover.mp3";
    public const string SubtitlesName = "subtitles.srt";
    public const string CaptionsName = "subtitles.ass";
    public const string FinalVideoName = "stitched_subtitled.mp4";

    /// <summary>The final render is written here first and renamed on success, so a failed render leaves no final file.</summary>
    public const string PartialVideoName = "stitched_subtitled.partial.mp4";

    public static string ImageName(int scene) => string.Create(CultureInfo.InvariantCulture, $"img_{scene:000}.png");

    /// <summary>A name the worker writes in a job's folder (a scene's image or clip, the voiceover, the final video and
    /// its partial and rejected forms): never one a request may hand in as its own file.</summary>
    public static bool IsWorkerOutput(string name) => WorkerOutputPattern().IsMatch(name);

    [System.Text.RegularExpressions.GeneratedRegex(@"^(img_[0-9]{3,}\.png|vid_[0-9]{3,}\.mp4|voiceover\.mp3|stitched_subtitled(\.[A-Za-z0-9_-]+)?\.mp4)\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex WorkerOutputPattern();

    public static string VideoName(int scene) => string.Create(CultureInfo.InvariantCulture, $"vid_{scene:000}.mp4");

    public string Manifest => File(ManifestName);

    public string Voiceover => File(VoiceoverName);

    public string Subtitles => File(SubtitlesName);

    /// <summary>The styled captions the render burns in (subtitles.srt holds the same cues, plain).</summary>
    public string Captions => File(CaptionsName);

    public string FinalVideo => File(FinalVideoName);

    public string Image(int scene) => File(ImageName(scene));

    public string Video(int scene) => File(VideoName(scene));

    /// <summary>A file of ours in the folder, by its plain name.</summary>
    public string File(string name)
    {
        if (name.Length == 0 || name != System.IO.Path.GetFileName(name) || name is "." or "..")
        {
            throw new ArgumentException($"\"{name}\" is not a plain file name", nameof(name));
        }
        return System.IO.Path.Combine(Path, name);
    }

    public static JobFolder For(string dataRoot, string runId)
    {
        if (!JobLimits.IsValidRunId(runId))
        {
            throw new ArgumentException($"run id \"{runId}\" is not a valid folder name", nameof(runId));
        }
        var root = System.IO.Path.GetFullPath(dataRoot);
        var folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, runId));
        if (!string.Equals(System.IO.Path.GetDirectoryName(folder), System.IO.Path.TrimEndingDirectorySeparator(root), StringComparison.Ordinal))
        {
            throw new ArgumentException($"run id \"{runId}\" does not name a folder under {root}", nameof(runId));
        }
        return new JobFolder(folder);
    }

    /// <summary>True when <paramref name="path"/> is a file inside <paramref name="dataRoot"/> (used before serving one).</summary>
    public static bool IsInside(string dataRoot, string path)
    {
        var root = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(dataRoot)) + System.IO.Path.DirectorySeparatorChar;
        root = root == "//" ? "/" : root;
        return System.IO.Path.GetFullPath(path).StartsWith(root, StringComparison.Ordinal);
    }

    /// <summary>The job whose manifest.json is in the folder (the last to start there), or null when none can be read.
    /// A run_id's folder is reused by later jobs with that run_id: its files are only that job's.</summary>
    public async Task<string?> ManifestJobIdAsync()
    {
        // A new job's folder has none: asked first, rather than paying for a FileNotFoundException every start.
        if (!System.IO.File.Exists(Manifest))
        {
            return null;
        }
        try
        {
            await using var manifest = System.IO.File.OpenRead(Manifest);
            using var json = await System.Text.Json.JsonDocument.ParseAsync(manifest).ConfigureAwait(false);
            return json.RootElement.TryGetProperty("job_id", out var id) ? id.GetString() : null;
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public override string ToString() => Path;
}
