using System.Globalization;
using System.Text.RegularExpressions;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Pages;

/// <summary>The Calls page: a day range, a search by number or CallSid, pages of 50, and a page per call with its timeline.</summary>
public sealed partial class CallsPageTests : IDisposable
{
    private readonly MiniCCFactory _app = new(new() { ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo" });

    public void Dispose() => _app.Dispose();

    [GeneratedRegex("<a href=\"/calls/(CA[0-9a-f]{32})\">")]
    private static partial Regex CallLink();

    /// <summary>A caller who waits 12 s, talks 230.19 s (Twilio counts whole seconds: 230) and hangs up.</summary>
    private async Task<string> AnsweredCallAsync(string from = Customer)
    {
        var op = NewCallSid();
        await _app.TwimlAsync("/voice/incoming", Call(op, from: OperatorPhone, status: "ringing"));
        var sid = NewCallSid();
        await _app.TwimlAsync("/voice/incoming", Call(sid, from: from, status: "ringing"));
        await _app.TwimlAsync("/voice/menu", Call(sid, from: from, extra: ("Digits", "1")));
        await _app.TwimlAsync("/voice/wait", Call(sid, from: from, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        _app.Clock.Advance(TimeSpan.FromSeconds(12));
        await _app.TwimlAsync("/voice/whisper", Call(sid, from: from, extra: [("QueueSid", QueueSid), ("QueueTime", "12"), ("DequeingCallSid", op)]));
        _app.Clock.Advance(TimeSpan.FromSeconds(230.19));
        await _app.TwimlAsync("/voice/queue-exit", Call(sid, from: from, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid), ("QueueTime", "12")]));
        using var _ = await _app.PostAsync("/voice/status", Call(sid, from: from, status: "completed", extra: ("CallDuration", "245")));
        return sid;
    }

    private async Task<IReadOnlyList<string>> IncomingCallsAsync(int count, TimeSpan apart)
    {
        var sids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var sid = NewCallSid();
            await _app.TwimlAsync("/voice/incoming", Call(sid, from: "+8190" + (10000000 + i).ToString(CultureInfo.InvariantCulture), status: "ringing"));
            sids.Add(sid);
            _app.Clock.Advance(apart);
        }

        return sids;
    }

    [Fact]
    public async Task CallsComeInPagesOfFiftyNewestFirstWithLinksBothWays()
    {
        var sids = await IncomingCallsAsync(120, TimeSpan.FromSeconds(10));
        using var browser = await PageClient.SignedInAsync(_app);

        var first = await browser.PageAsync("/calls");
        Assert.Equal(sids.Reverse().Take(50), CallLink().Matches(first).Select(m => m.Groups[1].Value));
        Assert.Contains("全 120 件中 1–50 件目", first, StringComparison.Ordinal);
        Assert.Contains("1 / 3 ページ", first, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"prev\"", first, StringComparison.Ordinal);
        var next = Regex.Match(first, "<a rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal("/calls?from=2026-11-24&to=2026-11-24&page=2", next);

        var last = await browser.PageAsync("/calls?from=2026-11-24&to=2026-11-24&page=3");
        Assert.Equal(sids.Take(20).Reverse(), CallLink().Matches(last).Select(m => m.Groups[1].Value));
        Assert.Contains("rel=\"prev\"", last, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", last, StringComparison.Ordinal);

        // A page past the end shows the last one, not an empty list.
        Assert.Equal(20, CallLink().Count(await browser.PageAsync("/calls?page=99")));
    }

    [Fact]
    public async Task TheDateRangeAndTheSearchNarrowTheList()
    {
        // 10:00 in Tokyo on the 24th, then a call the next day (Tokyo) and one by CallSid.
        var today = await IncomingCallsAsync(3, TimeSpan.FromMinutes(1));
        _app.Clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = await IncomingCallsAsync(1, TimeSpan.FromMinutes(1));
        using var browser = await PageClient.SignedInAsync(_app);

        Assert.Equal(today.Reverse(), CallLink().Matches(await browser.PageAsync("/calls?from=2026-11-24&to=2026-11-24")).Select(m => m.Groups[1].Value));
        Assert.Equal(tomorrow, CallLink().Matches(await browser.PageAsync("/calls?from=2026-11-25&to=2026-11-25")).Select(m => m.Groups[1].Value));
        Assert.Equal(4, CallLink().Count(await browser.PageAsync("/calls?from=2026-11-24&to=2026-11-25")));

        // By a part of the number (+819010000001), and by the start of a CallSid.
        Assert.Equal([today[1]], CallLink().Matches(await browser.PageAsync("/calls?from=2026-11-24&to=2026-11-25&q=10000001")).Select(m => m.Groups[1].Value));
        Assert.Equal([tomorrow[0]], CallLink().Matches(await browser.PageAsync($"/calls?from=2026-11-24&to=2026-11-25&q={tomorrow[0]}")).Select(m => m.Groups[1].Value));
        var none = await browser.PageAsync("/calls?q=CA99999999");
        Assert.Empty(CallLink().Matches(none));
        Assert.Contains("該当する通話はありません。", none, StringComparison.Ordinal);

        // The download holds what the page lists (all pages of it).
        var csv = (await browser.GetStringAsync(new Uri("/csv/calls.csv?from=2026-11-24&to=2026-11-25&q=1000000", UriKind.Relative))).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, csv.Length); // the header and the four calls
    }

    [Fact]
    public async Task ACallHasAPageOfItsOwnWithItsTimelineInWordsAndClockDurations()
    {
        var sid = await AnsweredCallAsync();
        await _app.Operators.AddAsync(OperatorPhone, "佐藤", default);
        using var browser = await PageClient.SignedInAsync(_app);

        var list = await browser.PageAsync("/calls");
        Assert.Contains($"<a href=\"/calls/{sid}\">{sid}</a>", list, StringComparison.Ordinal);

        var page = await browser.PageAsync($"/calls/{sid}");
        // Durations as a clock reads them: the talk of 230.19 s is 3:50, the wait 0:12, the call 4:05.
        Assert.Contains("<dd>3:50</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd>0:12</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd>4:05</dd>", page, StringComparison.Ordinal);
        // Dates and times in Japanese style and the report zone (01:00 UTC is 10:00 in Tokyo).
        Assert.Contains("<dd>2026/11/24 10:00:00</dd>", page, StringComparison.Ordinal);
        // Codes in words.
        Assert.Contains("<dd>お客様</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd>1: オペレーター</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd>応答</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd>終了</dd>", page, StringComparison.Ordinal);
        var timeline = Regex.Match(page, "<ol id=\"timeline\"[^>]*>(.*?)</ol>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(["着信", "メニューのキー入力", "キューで待機", "オペレーターが応答", "キューから退出", "通話終了"],
            Regex.Matches(timeline, "<span class=\"kind\">([^<]*)</span>").Select(m => m.Groups[1].Value));
        Assert.Contains("待ち時間 0:12", timeline, StringComparison.Ordinal);
        foreach (var code in new[] { ">customer<", ">bridged<", ">completed<", ">hangup<", "queue_exit", "call_end" })
        {
            Assert.DoesNotContain(code, page, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("CA00000000000000000000000000000999")]
    [InlineData("not-a-call-sid")]
    public async Task AnUnknownCallIsNotFoundAndSaysSo(string sid)
    {
        using var browser = await PageClient.SignedInAsync(_app);
        var page = await browser.PageAsync("/calls/" + sid, System.Net.HttpStatusCode.NotFound);
        Assert.Contains("この通話は見つかりません。", page, StringComparison.Ordinal);
    }
}
