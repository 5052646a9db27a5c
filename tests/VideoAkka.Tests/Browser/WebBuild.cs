namespace VideoAkka.Tests.Browser;

/// <summary>The checkout's web page build (web/dist), made by `./videoakka test` before the suite runs.</summary>
public static class WebBuild
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Dist => Path.Combine(RepositoryRoot, "web", "dist");

    /// <summary>Fails the spec with the command to run, rather than testing a page that is not there.</summary>
    public static void RequireBuilt() =>
        Assert.True(File.Exists(Path.Combine(Dist, "index.html")),
            $"the web page is not built: run `cd web && npm ci && npm run build` (./videoakka test does it), looked in {Dist}");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "VideoAkka.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"no VideoAkka.sln above {AppContext.BaseDirectory}");
    }
}
