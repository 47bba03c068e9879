using System.Text.Json;
using System.Text.RegularExpressions;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Pages;

/// <summary>
/// Every page in the page's language: codes and the service-level formula in words, dates and times as that language
/// writes them in the report's time zone, durations as m:ss; no page shows where the database file is.
/// </summary>
public sealed class PageLanguageTests
{
    private static readonly string[] SignedInPages = ["/", "/history", "/operators", "/abandoned", "/calls", "/callbacks", "/wallboard", "/wallboard?layout=desk"];

    /// <summary>An abandoned caller (waited 0:33) and an operator signed in, at 10:00 in Tokyo.</summary>
    private static async Task<string> SeedAsync(MiniCCFactory app)
    {
        await app.Operators.AddAsync(OperatorPhone, "Sato", default);
        await app.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: OperatorPhone, status: "ringing"));
        var sid = NewCallSid();
        await app.TwimlAsync("/voice/incoming", Call(sid, status: "ringing"));
        await app.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        app.Clock.Advance(TimeSpan.FromSeconds(33));
        await app.TwimlAsync("/voice/queue-exit", Call(sid, status: "completed", extra: [("QueueResult", "hangup"), ("QueueSid", QueueSid), ("QueueTime", "33")]));
        return sid;
    }

    [Fact]
    public async Task JapanesePagesSayEverythingInJapanese()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Language"] = "ja-JP", ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo" });
        var sid = await SeedAsync(app);
        using var browser = await PageClient.SignedInAsync(app);

        var today = await browser.PageAsync("/");
        Assert.Contains("T秒以内の応答 ÷（応答 + 放棄 − 短時間放棄）", today, StringComparison.Ordinal);
        Assert.DoesNotContain("answered-within", today, StringComparison.Ordinal);
        Assert.Contains("2026年11月24日", today, StringComparison.Ordinal);

        var abandoned = await browser.PageAsync("/abandoned");
        Assert.Contains("<td>2026/11/24 10:00:00</td>", abandoned, StringComparison.Ordinal);
        Assert.Contains("<td>0:33</td>", abandoned, StringComparison.Ordinal);

        var calls = await browser.PageAsync("/calls");
        Assert.Contains("<td>待機中に切断</td>", calls, StringComparison.Ordinal);
        Assert.Contains("<td>オペレーター</td>", calls, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>hangup</td>", calls, StringComparison.Ordinal);

        var operators = await browser.PageAsync("/operators");
        Assert.Contains("<td>有効</td>", operators, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>active</td>", operators, StringComparison.Ordinal);

        var wallboard = await browser.PageAsync("/wallboard");
        Assert.Matches("<p class=\"updated\">10:00:33 更新</p>", wallboard);
        Assert.Contains("待機中", wallboard, StringComparison.Ordinal);
        Assert.DoesNotContain("PM", wallboard, StringComparison.Ordinal);
        Assert.Contains(sid, await browser.PageAsync($"/calls/{sid}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnglishPagesSayEverythingInEnglish()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Language"] = "en-US", ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo" });
        await SeedAsync(app);
        using var browser = await PageClient.SignedInAsync(app);

        Assert.Contains("answered within T ÷ (answered + abandoned − short abandons)", await browser.PageAsync("/"), StringComparison.Ordinal);
        var abandoned = await browser.PageAsync("/abandoned");
        Assert.Contains("<html lang=\"en\">", abandoned, StringComparison.Ordinal);
        Assert.Contains("<td>11/24/2026 10:00:00 AM</td>", abandoned, StringComparison.Ordinal);
        Assert.Contains("<td>Hung up while waiting</td>", await browser.PageAsync("/calls"), StringComparison.Ordinal);
        Assert.Contains("Updated 10:00:33 AM", await browser.PageAsync("/wallboard"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoPageShowsWhereTheDatabaseIs()
    {
        using var app = new MiniCCFactory();
        await SeedAsync(app);
        using var browser = await PageClient.SignedInAsync(app);
        var file = Path.GetFileName(app.TestDatabase.ConnectionString.Split('=')[1].Split(';')[0]);
        Assert.EndsWith(".db", file, StringComparison.Ordinal);
        foreach (var path in SignedInPages.Append("/signin"))
        {
            var html = await browser.PageAsync(path);
            Assert.DoesNotContain(file, html, StringComparison.Ordinal);
            Assert.DoesNotContain(Path.GetTempPath(), html, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite file", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheChartsGetEveryIntervalUpToNowWithZerosWhereNothingHappened()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Reports:TimeZone"] = "UTC" });
        app.Clock.Advance(TimeSpan.FromHours(2)); // 03:00 UTC
        await SeedAsync(app);
        using var browser = await PageClient.SignedInAsync(app);
        var json = JsonDocument.Parse(await browser.GetStringAsync(new Uri("/api/report?from=2026-11-23&to=2026-11-24&interval=60", UriKind.Relative))).RootElement;
        var intervals = json.GetProperty("intervals").EnumerateArray().ToList();
        // The whole of the 23rd and the 24th up to 03:00:33: 24 + 4 hours, one after the other.
        Assert.Equal(28, intervals.Count);
        var starts = intervals.Select(i => i.GetProperty("start").GetDateTimeOffset()).ToList();
        Assert.Equal(Enumerable.Range(0, 28).Select(h => new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).AddHours(h)), starts);
        Assert.Equal([.. Enumerable.Repeat(0, 27), 1], intervals.Select(i => i.GetProperty("metrics").GetProperty("offered").GetInt32()));
        Assert.Equal(2, json.GetProperty("days").GetArrayLength());
    }
}
