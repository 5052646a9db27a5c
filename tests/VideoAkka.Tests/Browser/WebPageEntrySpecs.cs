using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace VideoAkka.Tests.Browser;

/// <summary>Issue 12: the page's first visit on a service with an API key and no jobs yet: it asks for the key once,
/// says when it is wrong, keeps the right one in the browser, and shows its designed empty state.</summary>
public sealed class WebPageEntrySpecs(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_page_asks_for_the_key_says_when_it_is_wrong_and_keeps_the_right_one()
    {
        var page = await browser.OpenAsync(withKey: false);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API key" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "01-key-prompt");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Key", Exact = true }).FillAsync("not-the-key-of-this-service");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The API key was refused");
        await BrowserFixture.ScreenshotAsync(page, "02-wrong-key");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Key", Exact = true }).FillAsync(BrowserFixture.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();
        await Expect(page.GetByText("No jobs yet")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByText("No jobs yet")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API key" })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "03-empty");

        Assert.Equal(BrowserFixture.Key, await page.EvaluateAsync<string>("() => localStorage.getItem('videoakka.apiKey')"));
        await page.Context.CloseAsync();
    }
}
