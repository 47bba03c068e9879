using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;
using MiniCC.Tests.Settings;

namespace MiniCC.Tests.Browser;

/// <summary>The phone menu page in Chromium: the diagram and its list drawn from the menu the server runs, and axe-core finds nothing serious.</summary>
[Collection(OneBrowserAtATime.Name)]
public sealed class MenuBrowserTests
{
    [SkippableTheory]
    [InlineData("ja-JP", "メニュー構成", "無音")]
    [InlineData("en-US", "Phone menu", "silence")]
    public async Task TheOriginalMenuIsDrawnAndListed(string language, string link, string silence)
    {
        await using var s = await BrowserSession.StartAsync(new() { ["MiniCC:Language"] = language });
        await s.App.Services.GetRequiredService<UserStore>().AddAsync(SignInForm.User, SignInForm.Password, default);
        var (page, csp) = await DashboardBrowserTests.SignInAsync(s, "/settings");

        await page.ClickAsync($"nav >> text={link}");
        await page.WaitForURLAsync(s.BaseUrl + "/menu");
        Assert.Equal("page", await page.GetAttributeAsync("nav a[href='/menu']", "aria-current"));
        Assert.Equal(6, await page.Locator("#menu-diagram g.menu-node").CountAsync());
        Assert.Equal("hours", await page.GetAttributeAsync("#menu-diagram g.menu-node.start", "data-type"));
        Assert.Equal(5, await page.Locator("#menu-diagram g.menu-arrow").CountAsync());
        Assert.Equal("1", await page.TextContentAsync("#menu-diagram g.menu-arrow[data-from=main][data-to=operator] text"));
        Assert.Equal(silence, await page.TextContentAsync("#menu-diagram g.menu-arrow[data-from=main][data-to=operator-no-input] text"));
        // The list says the same: start, then open → main, whose keys lead on.
        Assert.Equal(["start", "main", "operator", "information", "operator-no-input", "closed"],
            await page.Locator("#menu-list li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.node)"));
        Assert.Equal(0, await page.Locator("#menu-unreachable").CountAsync());
        await Axe.AssertCleanAsync(page);
        Assert.Empty(csp);
    }

    [SkippableFact]
    public async Task TheReadmesThreeLevelMenuIsDrawnAndListed()
    {
        await using var s = await BrowserSession.StartAsync(new()
        {
            ["MiniCC:Language"] = "ja-JP",
            ["MiniCC:Menu:File"] = Path.Combine(SettingsListTests.RepositoryRoot(), "docs", "menu-example.json"),
            ["MiniCC:Queues:0:Name"] = "support",
            ["MiniCC:Queues:1:Name"] = "sales",
        });
        await s.App.Services.GetRequiredService<UserStore>().AddAsync(SignInForm.User, SignInForm.Password, default);
        var (page, csp) = await DashboardBrowserTests.SignInAsync(s, "/menu");

        Assert.Equal(11, await page.Locator("#menu-diagram g.menu-node").CountAsync());
        Assert.Contains("choice", await page.GetAttributeAsync("#menu-diagram g.menu-node[data-node=topics]", "class"), StringComparison.Ordinal);
        Assert.Equal("1", await page.TextContentAsync("#menu-diagram g.menu-arrow[data-from=topics][data-to=sales] text"));
        Assert.Equal("2, 無音", await page.TextContentAsync("#menu-diagram g.menu-arrow[data-from=topics][data-to=support] text"));
        Assert.Equal("誤入力", await page.TextContentAsync("#menu-diagram g.menu-arrow[data-from=topics][data-to=sorry] text"));
        // "9 to go back" and silence to a sibling are tags on the box, not lines across the others.
        Assert.Equal("9 → topics", await page.TextContentAsync("#menu-diagram g.menu-jump[data-from=other][data-to=topics] text"));
        Assert.Equal("1, 無音 → support", await page.TextContentAsync("#menu-diagram g.menu-jump[data-from=other][data-to=support] text"));
        Assert.Equal(0, await page.Locator("#menu-diagram g.menu-jump path").CountAsync());
        Assert.Equal("ガイダンスの言語：日本語, 英語", await page.TextContentAsync("#menu-languages"));
        Assert.Contains("（上記参照）", await page.TextContentAsync("#menu-list li[data-node=english]"), StringComparison.Ordinal);
        Assert.Contains("キュー sales", await page.TextContentAsync("#menu-list li[data-node=sales]"), StringComparison.Ordinal);
        await Axe.AssertCleanAsync(page);
        Assert.Empty(csp);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "menu-diagram.png"), FullPage = true });
    }
}
