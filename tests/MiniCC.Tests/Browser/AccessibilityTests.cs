using Microsoft.Playwright;

namespace MiniCC.Tests.Browser;

/// <summary>
/// Every page in Chromium, in Japanese and in English, checked by axe-core: no serious or critical violation. And the
/// forms work from the keyboard alone: sign in, choose a range, search calls.
/// </summary>
[Collection(OneBrowserAtATime.Name)]
public sealed class AccessibilityTests
{
    [SkippableTheory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task EveryPageIsAccessibleAndItsFormsWorkFromTheKeyboard(string language)
    {
        // Two queues, so that the pages draw what a center with several has (the queue chooser, the wallboard's queues).
        await using var s = await BrowserSession.StartAsync(new()
        {
            ["MiniCC:Language"] = language, ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo",
            ["MiniCC:Queues:0:Name"] = "support", ["MiniCC:Queues:1:Name"] = "english", ["MiniCC:Queues:1:ServiceLevelSeconds"] = "30",
        });
        await DashboardBrowserTests.SeedAsync(s.App);
        var page = await s.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(90_000);

        // Sign in with the keyboard only: the user name field has the focus, Tab moves on, Enter sends.
        await page.GotoAsync(s.BaseUrl + "/");
        await Axe.AssertCleanAsync(page);
        Assert.Equal("username", await page.EvaluateAsync<string>("() => document.activeElement.name"));
        await page.Keyboard.TypeAsync(SignInForm.User);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(SignInForm.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(s.BaseUrl + "/");

        string? call = null;
        foreach (var path in new[] { "/", "/history", "/operators", "/abandoned", "/calls", "/wallboard", "/wallboard?layout=desk", "/desk" })
        {
            await page.GotoAsync(s.BaseUrl + path);
            if (path is "/" or "/history")
            {
                await page.WaitForSelectorAsync("#report[data-loaded=true]");
            }

            await Axe.AssertCleanAsync(page);
            call ??= path == "/calls" ? await page.GetAttributeAsync("#calls tbody a", "href") : null;
        }

        Assert.NotNull(call);
        await page.GotoAsync(s.BaseUrl + call);
        await Axe.AssertCleanAsync(page);

        // The check can fail: an image without a text alternative on the same page is found (critical).
        await page.EvaluateAsync("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/favicon.png\">')");
        Assert.Contains(await Axe.SeriousViolationsAsync(page), v => v.Contains("image-alt", StringComparison.Ordinal));
        await page.ReloadAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"call-{language}.png"), FullPage = true });

        // A range from the keyboard: focus the first day, Tab through the fields to the button, Enter.
        await page.GotoAsync(s.BaseUrl + "/history");
        // (Tab steps through a date field's month, day and year before it leaves the field.)
        await page.FocusAsync("input[name=from]");
        await TabUntilAsync(page, "to");
        await TabUntilAsync(page, "interval");
        await page.Keyboard.PressAsync("ArrowDown"); // 30 → 60 minutes
        await TabUntilAsync(page, "queue");
        await page.Keyboard.PressAsync("ArrowDown"); // all queues → support
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("BUTTON", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => u.Contains("interval=60", StringComparison.Ordinal) && u.Contains("queue=support", StringComparison.Ordinal));

        // A search from the keyboard: type in the search field and press Enter.
        await page.GotoAsync(s.BaseUrl + "/calls");
        await page.FocusAsync("input[name=q]");
        await page.Keyboard.TypeAsync("9077778888");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => u.Contains("q=9077778888", StringComparison.Ordinal));
        Assert.Equal(1, await page.Locator("#calls tbody tr a").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"calls-{language}.png"), FullPage = true });

        await page.GotoAsync(s.BaseUrl + "/wallboard");
        Assert.Equal(2, await page.Locator("section.queues tbody tr").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"wallboard-tv-{language}.png") });
        await page.GotoAsync(s.BaseUrl + "/wallboard?layout=desk");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"wallboard-desk-{language}.png"), FullPage = true });

        // Signing out from the keyboard: the button is reachable and Enter sends the form (with its antiforgery token).
        await page.GotoAsync(s.BaseUrl + "/operators");
        await page.FocusAsync("header form button");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(s.BaseUrl + "/signin");
    }

    /// <summary>Presses Tab (at most ten times) until the field named <paramref name="name"/> has the focus.</summary>
    private static async Task TabUntilAsync(IPage page, string name)
    {
        for (var i = 0; i < 10 && await page.EvaluateAsync<string>("() => document.activeElement.name") != name; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal(name, await page.EvaluateAsync<string>("() => document.activeElement.name"));
    }
}
