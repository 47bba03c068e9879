using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MiniCC.Tests.Pages;

/// <summary>The read-only settings page: the opening hours callers meet, at the factory's time (Tuesday 2026-11-24, 10:00 in Tokyo).</summary>
public sealed class SettingsPageTests
{
    /// <summary>Weekdays 09:00-12:00 and 13:00-18:00, the year-end break closed, one Saturday open.</summary>
    internal static Dictionary<string, string?> Hours(string language)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MiniCC:Language"] = language,
            ["MiniCC:Hours:TimeZone"] = "Asia/Tokyo",
            ["MiniCC:Hours:ClosedDays:0"] = "12-29..01-03",
            ["MiniCC:Hours:SpecialHours:2026-12-26:0"] = "10:00-15:00",
        };
        foreach (var day in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" })
        {
            settings[$"MiniCC:Hours:Weekly:{day}:0"] = "09:00-12:00";
            settings[$"MiniCC:Hours:Weekly:{day}:1"] = "13:00-18:00";
        }

        return settings;
    }

    [Fact]
    public async Task TheSettingsPageShowsTheHoursNowTheNextOpeningAndTheDaysOffInJapanese()
    {
        using var app = new MiniCCFactory(Hours("ja-JP"));
        using var browser = await PageClient.SignedInAsync(app);
        var page = await browser.PageAsync("/settings");

        Assert.Contains("<a href=\"/settings\" aria-current=\"page\">設定</a>", page, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"hours-zone\">Asia/Tokyo</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"hours-open\" data-open=\"true\">受付中</dd>", page, StringComparison.Ordinal);
        // Open at 10:00, and next opening after the lunch break.
        Assert.Contains("<dd id=\"hours-next\">2026年11月24日火曜日 13:00</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-day=\"Tuesday\"><th scope=\"row\">火曜日</th><td>09:00-12:00、13:00-18:00</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-day=\"Saturday\"><th scope=\"row\">土曜日</th><td>休業</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains("<td>2026年12月26日土曜日</td><td>特別営業</td><td>10:00-15:00</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>2027年1月1日金曜日</td><td>休業日（元日）</td><td>休業</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>2027年3月22日月曜日</td><td>休日（振替休日）</td><td>休業</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>2027年11月23日火曜日</td><td>勤労感謝の日</td>", page, StringComparison.Ordinal);
        // Yesterday's holiday has gone; one a year from now is not yet listed.
        Assert.DoesNotContain("2026年11月23日", page, StringComparison.Ordinal);
        Assert.DoesNotContain("2027年11月24日", page, StringComparison.Ordinal);
        Assert.Equal(6, CountOf(page, "data-kind=\"ClosedDay\""));
    }

    [Fact]
    public async Task InEnglishAtLunchtimeThePageSaysClosedAndOpeningAt1Pm()
    {
        using var app = new MiniCCFactory(Hours("en-US"));
        app.Clock.Advance(TimeSpan.FromHours(2.5));
        using var browser = await PageClient.SignedInAsync(app);
        var page = await browser.PageAsync("/settings");
        Assert.Contains("<dd id=\"hours-open\" data-open=\"false\">Closed</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"hours-next\">Tuesday, November 24, 2026 1:00 PM</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<td>Friday, January 1, 2027</td><td>Closed day (New Year's Day)</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutWeeklyHoursThePageSaysMiniCCIsAlwaysOpen()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Language"] = "en-US" });
        using var browser = await PageClient.SignedInAsync(app);
        var page = await browser.PageAsync("/settings");
        Assert.Contains("<dd id=\"hours-open\" data-open=\"true\">Open</dd>", page, StringComparison.Ordinal);
        Assert.Contains("MiniCC takes calls at every hour, holidays included.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"weekly\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSettingsPageNeedsASignedInUser()
    {
        using var app = new MiniCCFactory(Hours("en-US"));
        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await anonymous.GetAsync(new Uri("/settings", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
