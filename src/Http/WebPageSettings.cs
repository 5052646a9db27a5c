namespace VideoAkka.Http;

/// <summary>
/// Where the built web page is (web/dist from `npm run build`). Resolved once at startup: VIDEOAKKA_WEB_ROOT when set
/// (it must be a folder: a typo stops the start instead of quietly serving nothing), else the first of web/dist in
/// the working directory, wwwroot beside the executable, or web/dist in a folder above the executable (a checkout
/// running from its bin folder). A folder without index.html is "not built yet": / then says how to build it.
/// </summary>
public sealed record WebPageSettings(string? Root)
{
    public const string Variable = "VIDEOAKKA_WEB_ROOT";

    public const string IndexName = "index.html";

    /// <summary>True when the folder holds a build to serve.</summary>
    public bool IsBuilt => Root is not null && File.Exists(Path.Combine(Root, IndexName));

    public static WebPageSettings Resolve(string? configured, string workingDirectory, string executableDirectory)
    {
        if (configured is not null)
        {
            var root = Path.GetFullPath(configured, workingDirectory);
            if (!Directory.Exists(root))
            {
                throw new ArgumentException($"{Variable} names a folder that does not exist: {root}");
            }
            return new WebPageSettings(root);
        }
        var candidates = new List<string>
        {
            Path.Combine(workingDirectory, "web", "dist"),
            Path.Combine(executableDirectory, "wwwroot"),
        };
        for (var folder = new DirectoryInfo(executableDirectory).Parent; folder is not null; folder = folder.Parent)
        {
            candidates.Add(Path.Combine(folder.FullName, "web", "dist"));
        }
        return new WebPageSettings(candidates.Select(Path.GetFullPath).FirstOrDefault(c => File.Exists(Path.Combine(c, IndexName))));
    }
}
