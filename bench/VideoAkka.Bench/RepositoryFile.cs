namespace VideoAkka.Bench;

/// <summary>A file of the checkout, found above the bench's binaries (which sit under bench/VideoAkka.Bench/bin).</summary>
internal static class RepositoryFile
{
    public static string Find(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"{relativePath} is not found above {AppContext.BaseDirectory}");
    }
}
