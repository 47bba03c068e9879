using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;
using MiniCC.Tests.Pages;

namespace MiniCC.Tests.Browser;

/// <summary>The settings page in Chromium, reached from the navigation, in Japanese and English: axe-core finds nothing serious.</summary>
[Collection(OneBrowserAtATime.Name)]
public sealed class SettingsBrowserTests
{
    [SkippableTheory]
    [InlineData("ja-JP", "設定", "火曜日")]
    [InlineData("en-US", "Settings", "Tuesday")]
    public async Task TheSettingsPageIsReachedFromTheNavigationAndIsAccessible(string language, string link, string tuesday)
    {
        await using var s = await BrowserSession.StartAsync(SettingsPageTests.Hours(language));
        await s.App.Services.GetRequiredService<UserStore>().AddAsync(SignInForm.User, SignInForm.Password, default);
        var (page, csp) = await DashboardBrowserTests.SignInAsync(s, "/operators");

        await page.ClickAsync($"nav >> text={link}");
        await page.WaitForURLAsync(s.BaseUrl + "/settings");
        Assert.Equal("page", await page.GetAttributeAsync($"nav a[href='/settings']", "aria-current"));
        Assert.Equal("true", await page.GetAttributeAsync("#hours-open", "data-open"));
        Assert.Equal(tuesday, await page.TextContentAsync("#weekly tr[data-day=Tuesday] th"));
        Assert.Equal(6, await page.Locator("#days-off tr[data-kind=ClosedDay]").CountAsync());
        Assert.True(await page.Locator("#days-off").IsVisibleAsync());
        await Axe.AssertCleanAsync(page);
        Assert.Empty(csp);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"settings-{language}.png"), FullPage = true });
    }
}
