namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// Maps a run id to its folder, DATA_SHARED_BASE/{run_id}. The run id is checked again here, not only at the HTTP
/// door, and the result must lie directly under the base: nothing a client sends can reach outside it.
/// </summary>
public static class JobFolders
{
    public static string For(string dataRoot, string runId)
    {
        if (!JobLimits.IsValidRunId(runId))
        {
            throw new ArgumentException($"run id \"{runId}\" is not a valid folder name", nameof(runId));
        }
        var root = Path.GetFullPath(dataRoot);
        var folder = Path.GetFullPath(Path.Combine(root, runId));
        if (!string.Equals(Path.GetDirectoryName(folder), Path.TrimEndingDirectorySeparator(root), StringComparison.Ordinal))
        {
            throw new ArgumentException($"run id \"{runId}\" does not name a folder under {root}", nameof(runId));
        }
        return folder;
    }

    /// <summary>True when <paramref name="path"/> is a file inside <paramref name="dataRoot"/> (used before serving one).</summary>
    public static bool IsInside(string dataRoot, string path)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataRoot)) + Path.DirectorySeparatorChar;
        root = root == "//" ? "/" : root;
        return Path.GetFullPath(path).StartsWith(root, StringComparison.Ordinal);
    }
}
