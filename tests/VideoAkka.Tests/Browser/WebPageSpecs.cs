using System.Text.Json.Nodes;
using CliWrap;
using Microsoft.Playwright;
using VideoAkka.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace VideoAkka.Tests.Browser;

/// <summary>Issue 12, Must show: in headless Chromium, a job is submitted from the page's form (with the keyboard
/// only), its progress and scenes show live, its video plays and seeks in the page and downloads as an MP4; a running
/// job is cancelled and a failed one retried from the page, whose reason and dead-letter entry show.</summary>
public sealed class WebPageSpecs(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToHaveTextOptions LongWait = new() { Timeout = 120_000 };

    private static ILocator Card(IPage page, string runId) => page.GetByRole(AriaRole.Article, new() { Name = runId, Exact = true });

    private static ILocator Badge(IPage page, string runId) => Card(page, runId).Locator(".badge");

    [Fact]
    public async Task A_job_submitted_from_the_form_with_the_keyboard_shows_its_progress_and_scenes_then_plays_seeks_and_downloads()
    {
        var page = await browser.OpenAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Jobs" })).ToBeVisibleAsync();

        // Keyboard only: Tab from the top of the page to each field, type, and Enter to submit.
        for (var tabs = 0; tabs < 6 && await page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''") != "script"; tabs++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Script (the voiceover and subtitles)" })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("A lighthouse at dusk. The lamp turns over the water.");
        await TabToAsync(page, "Caption", "Evening #sea");
        await TabToAsync(page, "Run id (optional, names the folder)", "page-run");
        await TabToAsync(page, "Scene 1 image prompt", "A lighthouse at dusk");
        await TabToAsync(page, "Scene 1 motion prompt", "slow zoom");
        // 20 s clips: the job runs long enough on a fast machine for the bar to be seen between 0 and 100 %.
        await TabToAsync(page, "Scene 1 seconds", "20", replace: true);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add scene" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        for (var back = 0; back < 4; back++)
        {
            await page.Keyboard.PressAsync("Shift+Tab");
        }
        await Expect(page.GetByLabel("Scene 2 image prompt")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("The lamp over dark water");
        await page.Keyboard.PressAsync("Tab");
        await TabToAsync(page, "Scene 2 seconds", "20", replace: true);
        await BrowserFixture.ScreenshotAsync(page, "04-form");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "is queued" })).ToBeVisibleAsync();
        var bar = Card(page, "page-run").GetByRole(AriaRole.Progressbar);
        var seen = new List<string>();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (await Badge(page, "page-run").TextContentAsync() != "completed" && DateTime.UtcNow < deadline)
        {
            var value = await bar.GetAttributeAsync("aria-valuetext") ?? "";
            if (seen.LastOrDefault() != value)
            {
                seen.Add(value);
                if (seen.Count == 3)
                {
                    await BrowserFixture.ScreenshotAsync(page, "05-running");
                }
            }
            await Task.Delay(50);
        }
        await Expect(Badge(page, "page-run")).ToHaveTextAsync("completed", LongWait);
        Assert.True(seen.Distinct().Count() >= 2, $"the progress bar showed only: {string.Join(" | ", seen)}");
        Assert.Contains(seen, v => !v.StartsWith("0%", StringComparison.Ordinal) && !v.StartsWith("100%", StringComparison.Ordinal));

        var card = Card(page, "page-run");
        await Expect(card.GetByRole(AriaRole.Img, new() { Name = "Scene 1: A lighthouse at dusk", Exact = true })).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Img, new() { Name = "Scene 2: The lamp over dark water", Exact = true })).ToBeVisibleAsync();
        Assert.True(await card.Locator("img").First.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the thumbnail is not a decoded image");

        await card.GetByRole(AriaRole.Button, new() { Name = "Play video of page-run" }).ClickAsync();
        var video = card.Locator("video");
        await video.EvaluateAsync("v => { v.muted = true; return v.play(); }");
        await page.WaitForFunctionAsync("v => v.readyState === 4 && v.currentTime > 0.3", await video.ElementHandleAsync(), new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(page, "06-playing");
        await video.EvaluateAsync("v => { v.pause(); v.currentTime = v.duration / 2; }");
        await page.WaitForFunctionAsync("v => !v.seeking && v.readyState >= 2 && Math.abs(v.currentTime - v.duration / 2) < 0.1",
            await video.ElementHandleAsync(), new() { Timeout = 30_000 });

        var download = await page.RunAndWaitForDownloadAsync(() => card.GetByRole(AriaRole.Link, new() { Name = "Download MP4" }).ClickAsync());
        var saved = Path.Combine(browser.Service.DataRoot, "downloaded.mp4");
        await download.SaveAsAsync(saved);
        var media = await MediaInfo.ProbeAsync(saved);

        Assert.Equal("page-run.mp4", download.SuggestedFilename);
        Assert.Equal(("h264", 180, 320), (media.Video.Codec, media.Video.Width, media.Video.Height));
        Assert.True(media.Duration > 1, $"the downloaded video lasts {media.Duration} s");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_running_job_is_cancelled_from_the_page()
    {
        // Its voice never finishes speaking: it is still running when the button is pressed, however fast the machine.
        var jobId = await browser.Service.SubmitAsync(JobBodies.Simple("cancel-from-page", scenes: 2, voice: HangingVoice.Name));
        try
        {
            var page = await browser.OpenAsync();

            await Expect(Badge(page, "cancel-from-page")).ToHaveTextAsync("running", LongWait);
            await Card(page, "cancel-from-page").GetByRole(AriaRole.Button, new() { Name = "Cancel cancel-from-page" }).ClickAsync();
            await Expect(Badge(page, "cancel-from-page")).ToHaveTextAsync("cancelled", LongWait);
            await BrowserFixture.ScreenshotAsync(page, "07-cancelled");

            Assert.Equal("cancelled", (await browser.Service.StatusAsync(jobId)).GetProperty("status").GetString());
            await page.Context.CloseAsync();
        }
        finally
        {
            // The hanging voice holds the fixture's one tts slot until the job is cancelled: a failure above must not
            // leave the other page specs waiting behind it.
            using var _ = await browser.Service.Http.PostAsync($"/orchestrate/cancel/{jobId}", null);
        }
    }

    [Fact]
    public async Task A_failed_job_shows_its_reason_and_dead_letter_entry_and_completes_when_retried_from_the_page()
    {
        // Its one scene's image is a file not yet in the run's folder: a real failure, mended before the retry.
        var body = new JsonObject
        {
            ["script"] = "A picture that arrives late.",
            ["run_id"] = "retry-from-page",
            ["prompts"] = new JsonArray(new JsonObject { ["image_file"] = "later.png", ["motion"] = "kenburns", ["duration"] = 1 }),
            ["options"] = new JsonObject { ["voiceover"] = false },
        };
        var jobId = await browser.Service.SubmitAsync(body.ToJsonString());
        var page = await browser.OpenAsync();
        var card = Card(page, "retry-from-page");
        var deadLetter = page.GetByRole(AriaRole.Region, new() { Name = "Dead letter" });

        await Expect(Badge(page, "retry-from-page")).ToHaveTextAsync("failed", LongWait);
        await Expect(card.GetByText("Why it failed")).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("later.png");
        await deadLetter.GetByRole(AriaRole.Button, new() { Name = "Refresh dead letter" }).ClickAsync();
        await Expect(deadLetter.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "retry-from-page" })).ToContainTextAsync("later.png");
        await BrowserFixture.ScreenshotAsync(page, "08-failed-dead-letter");

        await Cli.Wrap("ffmpeg").WithArguments(["-v", "error", "-f", "lavfi", "-i", "color=c=navy:s=180x320", "-frames:v", "1",
            Path.Combine(browser.Service.Folder("retry-from-page"), "later.png")]).ExecuteAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Retry retry-from-page" }).ClickAsync();
        await Expect(Badge(page, "retry-from-page")).ToHaveTextAsync("completed", LongWait);
        await deadLetter.GetByRole(AriaRole.Button, new() { Name = "Refresh dead letter" }).ClickAsync();
        await Expect(deadLetter.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "retry-from-page" })).ToHaveCountAsync(0);

        Assert.Equal("completed", (await browser.Service.StatusAsync(jobId)).GetProperty("status").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_job_update_n8n_posts_to_the_frontend_webhook_shows_on_its_job_in_an_open_page()
    {
        var jobId = await browser.Service.SubmitAsync(JobBodies.Simple("n8n-notice-run", scenes: 1));
        Assert.Equal("completed", (await browser.Service.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
        var page = await browser.OpenAsync();
        var card = Card(page, "n8n-notice-run");
        await Expect(Badge(page, "n8n-notice-run")).ToHaveTextAsync("completed", LongWait);
        await Expect(card.GetByText("n8n says")).ToHaveCountAsync(0);

        // What n8n's "job finished" workflow posts (n8n/job-finished.json), with the API key as its Header Auth sends it.
        using var posted = await browser.Service.Http.PostAsync("/frontend/webhook/job-update",
            new StringContent($$"""{"job_id":"{{jobId}}","status":"completed"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, posted.StatusCode);

        await Expect(card.GetByRole(AriaRole.Status).Filter(new() { HasText = "n8n says" })).ToContainTextAsync("n8n says this job is completed");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_the_page_fits_the_screen_and_plays_the_portrait_video()
    {
        var jobId = await browser.Service.SubmitAsync(JobBodies.Simple("phone-run", scenes: 2));
        Assert.Equal("completed", (await browser.Service.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
        var page = await browser.OpenAsync(viewport: new ViewportSize { Width = 390, Height = 844 }, mobile: true);

        var card = Card(page, "phone-run");
        await card.GetByRole(AriaRole.Button, new() { Name = "Play video of phone-run" }).ClickAsync();
        var video = card.Locator("video");
        await video.EvaluateAsync("v => { v.muted = true; return v.play(); }");
        await page.WaitForFunctionAsync("v => v.readyState === 4 && v.currentTime > 0.2", await video.ElementHandleAsync(), new() { Timeout = 30_000 });
        await card.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "09-phone.png") });

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"the page is {widths[0]} px wide on a {widths[1]} px screen: it scrolls sideways");
        await page.Context.CloseAsync();
    }

    private static async Task TabToAsync(IPage page, string label, string text, bool replace = false)
    {
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel(label, new() { Exact = true })).ToBeFocusedAsync();
        if (replace)
        {
            await page.Keyboard.PressAsync("Control+A");
        }
        await page.Keyboard.TypeAsync(text);
    }
}
