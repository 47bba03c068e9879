using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniCC.Security;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Browser;

/// <summary>The pages in a real headless Chromium: sign in, every page, the charts, a CSV download, the wallboard updating.</summary>
[Collection(OneBrowserAtATime.Name)]
public sealed class DashboardBrowserTests
{
    /// <summary>The app's today: an answered call and an abandoned one.</summary>
    internal static async Task SeedAsync(MiniCCFactory app)
    {
        await app.Services.GetRequiredService<UserStore>().AddAsync(SignInForm.User, SignInForm.Password, default);
        await app.Operators.AddAsync(OperatorPhone, "Sato", default);
        var op = NewCallSid();
        await app.TwimlAsync("/voice/incoming", Call(op, from: OperatorPhone, status: "ringing"));
        string a = NewCallSid(), b = NewCallSid();
        await app.TwimlAsync("/voice/incoming", Call(a, status: "ringing"));
        await app.TwimlAsync("/voice/incoming", Call(b, from: "+819077778888", status: "ringing"));
        await app.TwimlAsync("/voice/wait", Call(a, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        await app.TwimlAsync("/voice/wait", Call(b, from: "+819077778888", extra: [("QueuePosition", "2"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        app.Clock.Advance(TimeSpan.FromSeconds(12));
        await app.TwimlAsync("/voice/whisper", Call(a, extra: [("QueueSid", QueueSid), ("QueueTime", "12"), ("DequeingCallSid", op)]));
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await app.TwimlAsync("/voice/queue-exit", Call(b, from: "+819077778888", extra: [("QueueResult", "hangup"), ("QueueSid", QueueSid), ("QueueTime", "42")]));
        app.Clock.Advance(TimeSpan.FromSeconds(60));
        await app.TwimlAsync("/voice/queue-exit", Call(a, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid), ("QueueTime", "12")]));
    }

    /// <summary>What Chromium reports as blocked by the Content-Security-Policy on <paramref name="page"/>.</summary>
    private static List<string> CspViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };
        return violations;
    }

    /// <summary>A new page signed in and at <paramref name="path"/>; <paramref name="watch"/> sees the page before its first request.</summary>
    internal static async Task<(IPage Page, List<string> CspViolations)> SignInAsync(BrowserSession s, string path = "/", Action<IPage>? watch = null)
    {
        var page = await s.Browser.NewPageAsync(new BrowserNewPageOptions { AcceptDownloads = true, ViewportSize = new() { Width = 1280, Height = 900 } });
        watch?.Invoke(page);
        // Generous bounds, not timings: on a loaded 2-core machine a page load or a poll can take many seconds.
        page.SetDefaultTimeout(90_000);
        var violations = CspViolations(page);
        await page.GotoAsync(s.BaseUrl + path);
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await page.FillAsync("input[name=username]", SignInForm.User);
        await page.FillAsync("input[name=password]", SignInForm.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(s.BaseUrl + path);
        return (page, violations);
    }

    [SkippableFact]
    public async Task SignInOpenEveryPageSeeTheChartsAndDownloadACsv()
    {
        await using var s = await BrowserSession.StartAsync(new() { ["MiniCC:Language"] = "en-US", ["MiniCC:Reports:TimeZone"] = "UTC" });
        var today = MiniCCFactory.Start; // 01:00 UTC: the page's "today" is the app's clock's
        await SeedAsync(s.App);

        var (page, csp) = await SignInAsync(s);
        await page.WaitForSelectorAsync("#report[data-loaded=true]");
        Assert.Equal("2", await page.TextContentAsync("[data-metric=offered] .value"));
        Assert.Equal("1", await page.TextContentAsync("[data-metric=answered] .value"));
        Assert.Equal("1", await page.TextContentAsync("[data-metric=abandoned] .value"));
        Assert.Equal("true", await page.GetAttributeAsync("#chart-volume", "data-drawn"));
        // Every half hour of today up to now (01:01:42) is on the chart's axis: 00:00, 00:30, 01:00.
        Assert.Equal("3", await page.GetAttributeAsync("#report", "data-intervals"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "today.png"), FullPage = true });

        // History: change the date range with the form.
        await page.ClickAsync("nav >> text=History");
        await page.WaitForSelectorAsync("#report[data-loaded=true]");
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.FillAsync("input[name=from]", day);
        await page.FillAsync("input[name=to]", day);
        await page.SelectOptionAsync("select[name=interval]", "15");
        await page.ClickAsync("form.range button[type=submit]");
        await page.WaitForURLAsync(u => u.Contains($"from={day}", StringComparison.Ordinal) && u.Contains("interval=15", StringComparison.Ordinal));
        await page.WaitForSelectorAsync("#report[data-loaded=true]");
        foreach (var chart in new[] { "#chart-volume", "#chart-speed", "#chart-staffing" })
        {
            Assert.Equal("true", await page.GetAttributeAsync(chart, "data-drawn"));
        }

        Assert.Equal("5", await page.GetAttributeAsync("#report", "data-intervals"));
        Assert.Equal(1, await page.Locator("#intervals tbody tr").CountAsync());
        Assert.Contains("1:00\u202FAM", await page.TextContentAsync("#intervals tbody tr th"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "history.png"), FullPage = true });

        // CSV of the intervals: every quarter hour up to now.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a.csv"));
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("interval_start,offered,answered,abandoned", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{day}T01:00+00:00,2,1,1,", lines[5], StringComparison.Ordinal);

        // Operators, abandoned callers, calls (and a call's own page).
        await page.ClickAsync("nav >> text=Operators");
        Assert.Contains("Sato", await page.TextContentAsync("#operators"), StringComparison.Ordinal);
        await page.ClickAsync("nav >> text=Abandoned callers");
        Assert.Contains("+819077778888", await page.TextContentAsync("#abandoned"), StringComparison.Ordinal);
        var abandonedCsv = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a.csv"));
        Assert.Contains("'+819077778888,42", await File.ReadAllTextAsync(await abandonedCsv.PathAsync()), StringComparison.Ordinal);
        await page.ClickAsync("nav >> text=Calls");
        await page.FillAsync("input[name=q]", "9077778888");
        await page.ClickAsync("form.range button[type=submit]");
        await page.WaitForURLAsync(u => u.Contains("q=9077778888", StringComparison.Ordinal));
        Assert.Equal(1, await page.Locator("#calls tbody tr").CountAsync());
        await page.ClickAsync("#calls tbody tr td a");
        await page.WaitForURLAsync(u => u.Contains("/calls/CA", StringComparison.Ordinal));
        Assert.Contains("Hung up while waiting", await page.TextContentAsync("#timeline"), StringComparison.Ordinal);
        Assert.Contains("waited 0:42", await page.TextContentAsync("#timeline"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "call.png"), FullPage = true });

        // The sign-out button carries the antiforgery token.
        await page.ClickAsync("header form button[type=submit]");
        await page.WaitForURLAsync(s.BaseUrl + "/signin");
        Assert.Empty(csp);

        // The policy is really in force (and the watch sees it): an inline style is refused.
        await page.EvaluateAsync("() => document.head.insertAdjacentHTML('beforeend', '<style>body { color: red; }</style>')");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (csp.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains(csp, v => v.Contains("style-src", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task TheWallboardUpdatesByItselfWhenACallerJoinsTheQueue()
    {
        await using var s = await BrowserSession.StartAsync();
        await s.App.Services.GetRequiredService<UserStore>().AddAsync(SignInForm.User, SignInForm.Password, default);
        var (page, csp) = await SignInAsync(s, "/wallboard");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('wallboard').dataset.updates || 0) >= 1");
        Assert.Equal("0", await page.TextContentAsync("[data-live=waiting] .value"));

        var sid = NewCallSid();
        await s.App.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));

        await page.WaitForFunctionAsync("() => document.querySelector('[data-live=waiting] .value').textContent === '1'", null, new() { Timeout = 60_000 });
        Assert.Equal(1, await page.Locator($"tr[data-call={sid}]").CountAsync());
        Assert.Contains("待ち呼数", await page.TextContentAsync("#wallboard"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "wallboard.png"), FullPage = true });
        Assert.Empty(csp);
    }
}
