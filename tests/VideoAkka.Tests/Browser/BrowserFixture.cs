using Microsoft.Playwright;
using VideoAkka.Http;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Browser;

/// <summary>
/// One service (with an API key) serving the built page, and one headless Debian Chromium driven by Playwright, per
/// spec class. Playwright's driver ships in its NuGet package and runs offline; it is pointed at /usr/bin/chromium
/// (VIDEOAKKA_CHROMIUM overrides), so no browser is downloaded.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Key = "browser-spec-key-0123456789abcdef";

    /// <summary>Progress written often, so a short job shows several values on the page.</summary>
    private const string Hocon = ServiceUnderTest.SmallFrames + "\nvideoakka.worker.progress-interval = 100ms";

    public ServiceUnderTest Service { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright _playwright = null!;

    private readonly string _tools = Path.Combine(Path.GetTempPath(), $"videoakka-test-browser-tools-{Environment.ProcessId}");

    /// <summary>The browser's storage after the key was entered once on the page: every later page starts with it.</summary>
    private string _keyEntered = null!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("VIDEOAKKA_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>TestResults/screenshots at the checkout's root: `./videoakka test` keeps it with the run's results.</summary>
    public static string Screenshots { get; } = Path.Combine(WebBuild.RepositoryRoot, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        WebBuild.RequireBuilt();
        Assert.True(File.Exists(ChromiumPath), $"no Chromium at {ChromiumPath}: apt-get install -y --no-install-recommends chromium (./videoakka test does it)");
        // Jobs speaking with the hanging voice run until they are cancelled (the cancel spec's job).
        Service = await ServiceUnderTest.StartAsync(Hocon + HangingVoice.EspeakFor(_tools), apiKeys: Key);
        Service.Http.DefaultRequestHeaders.Add(ApiKeys.Header, Key);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in CI has no user namespace sandbox; the page is our own.
            Args = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        });
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Key", Exact = true }).FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Jobs" })).ToBeVisibleAsync();
        _keyEntered = await context.StorageStateAsync();
        Directory.CreateDirectory(Screenshots);
    }

    public string BaseUrl => Service.Http.BaseAddress!.ToString().TrimEnd('/');

    /// <summary>A new browser context (its own storage), with the key kept from when it was entered, unless told not to.</summary>
    public async Task<IPage> OpenAsync(bool withKey = true, ViewportSize? viewport = null, bool mobile = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            StorageState = withKey ? _keyEntered : null,
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = mobile,
            HasTouch = mobile,
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }
        TestRedis.DeleteFolder(_tools);
    }
}
