using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Pages;

/// <summary>The dashboard's JSON and every CSV download, over HTTP, for a signed-in user; a replayed callback counts once.</summary>
public sealed class DashboardApiTests : IDisposable
{
    private readonly MiniCCFactory _app = new(new() { ["MiniCC:Reports:TimeZone"] = "UTC" });

    public void Dispose() => _app.Dispose();

    private Task<HttpClient> SignedInAsync() => SignInForm.SignedInBrowserAsync(_app);

    /// <summary>An abandoned call, its queue exit and status callback each delivered twice.</summary>
    private async Task AbandonedCallDeliveredTwiceAsync()
    {
        var sid = NewCallSid();
        await _app.TwimlAsync("/voice/incoming", Call(sid, status: "ringing"));
        await _app.TwimlAsync("/voice/menu", Call(sid, extra: ("Digits", "1")));
        await _app.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        _app.Clock.Advance(TimeSpan.FromSeconds(33));
        for (var i = 0; i < 2; i++)
        {
            await _app.TwimlAsync("/voice/queue-exit", Call(sid, status: "completed", extra: [("QueueResult", "hangup"), ("QueueSid", QueueSid), ("QueueTime", "33")]));
            using var _ = await _app.PostAsync("/voice/status", Call(sid, status: "completed", extra: ("CallDuration", "50")));
        }
    }

    [Fact]
    public async Task TheAbandonedPageListsTheNewestAndSaysSoWhileTheCsvListsEveryOne()
    {
        var listed = MiniCC.Reports.ReportQuery.AbandonedListed;
        for (var i = 0; i <= listed; i++)
        {
            var sid = NewCallSid();
            await _app.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", "QU" + sid[2..]), ("QueueTime", "0")]));
            _app.Clock.Advance(TimeSpan.FromSeconds(1));
            await _app.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", "hangup"), ("QueueSid", "QU" + sid[2..]), ("QueueTime", "1")]));
        }

        using var browser = await SignedInAsync();
        const string range = "from=2026-11-24&to=2026-11-24";
        var page = await browser.GetStringAsync(new Uri($"/abandoned?{range}", UriKind.Relative));
        Assert.Equal(listed, Regex.Count(page, "<a href=\"/calls/CA[0-9a-f]{32}\">CA[0-9a-f]{32}</a>"));
        Assert.Contains($"放棄呼 {listed + 1} 件のうち新しい {listed} 件を表示しています。", page, StringComparison.Ordinal);
        var csv = (await browser.GetStringAsync(new Uri($"/csv/abandoned.csv?{range}", UriKind.Relative))).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(listed + 2, csv.Length);
    }

    [Fact]
    public async Task TheApiAndEveryCsvAnswerTheSameNumbersAndReplaysCountOnce()
    {
        await AbandonedCallDeliveredTwiceAsync();
        using var browser = await SignedInAsync();
        const string range = "from=2026-11-24&to=2026-11-24";

        var json = JsonDocument.Parse(await browser.GetStringAsync(new Uri($"/api/report?{range}&interval=30", UriKind.Relative))).RootElement;
        Assert.Equal((1, 0, 1, 33), (json.GetProperty("offered").GetInt32(), json.GetProperty("answered").GetInt32(),
            json.GetProperty("abandoned").GetInt32(), json.GetProperty("longestWaitSeconds").GetInt32()));
        Assert.Equal(1, json.GetProperty("ivrChoices").GetProperty("operatorChoice").GetInt32());

        async Task<string[]> Csv(string path)
        {
            using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.DispositionType ?? "", StringComparison.Ordinal);
            return (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        }

        var intervals = await Csv($"/csv/intervals.csv?{range}");
        // Every interval from midnight up to now is a row (the clock stands at 01:00:33), the quiet ones with zeros.
        Assert.Equal(["2026-11-24T00:00+00:00,0,0,0,0,0,0,0,100,0,0,0,0", "2026-11-24T00:30+00:00,0,0,0,0,0,0,0,100,0,0,0,0",
            "2026-11-24T01:00+00:00,1,0,1,0,0,100,0,0,0,33,0,0"], intervals[1..]);
        Assert.StartsWith("2026-11-24,1,0,1,0,0,100,0,0,0,33,33", (await Csv($"/csv/days.csv?{range}"))[1], StringComparison.Ordinal);
        Assert.StartsWith("Tuesday,1,1,0,1,", (await Csv($"/csv/weekday-hours.csv?{range}"))[1], StringComparison.Ordinal);
        Assert.Equal(["choice,calls", "1 (operator),1", "2 (information),0", "invalid key,0", "no input,0"], await Csv($"/csv/menu.csv?{range}"));
        Assert.Equal(2, (await Csv($"/csv/abandoned.csv?{range}")).Length);
        Assert.Contains("'+819011112222", (await Csv($"/csv/abandoned.csv?{range}"))[1], StringComparison.Ordinal);
        Assert.Single(await Csv($"/csv/operators.csv?{range}"));
        var calls = await Csv("/csv/calls.csv?q=9011112222");
        Assert.Equal(2, calls.Length);
        Assert.Contains(",hangup,33,,completed,50", calls[1], StringComparison.Ordinal);

        var board = JsonDocument.Parse(await browser.GetStringAsync(new Uri("/api/wallboard", UriKind.Relative))).RootElement;
        Assert.Equal((0, 1), (board.GetProperty("waiting").GetInt32(), board.GetProperty("today").GetProperty("abandoned").GetInt32()));
        Assert.Equal((0, 0), (board.GetProperty("callers").GetArrayLength(), board.GetProperty("operators").GetArrayLength()));
        Assert.False(board.GetProperty("abandonRateOnTarget").GetBoolean());
    }

    [Theory]
    [InlineData("|cmd /c calc")]
    [InlineData("=1+1")]
    [InlineData("\uFF1D1+1")] // full-width =
    [InlineData("\uFF0B81 90 1111 2222")] // full-width +
    [InlineData("\uFF0D1+1")] // full-width -
    [InlineData("\uFF20SUM(A1)")] // full-width @
    public async Task ACsvCellThatASpreadsheetWouldRunIsNeutralised(string from)
    {
        await _app.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: from, status: "ringing"));
        using var browser = await SignedInAsync();
        var csv = (await browser.GetStringAsync(new Uri("/csv/calls.csv", UriKind.Relative))).TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal("'" + from, csv[1].Split(',')[2]);
        Assert.Equal("'" + from, MiniCC.Reports.ReportCsv.Calls([new() { CallSid = "CA1", Role = "customer", FromNumber = from }], TimeZoneInfo.Utc)
            .Split("\r\n")[1].Split(',')[2]);
    }

    [Fact]
    public async Task TheApiAndTheCsvsNeedASignedInUser()
    {
        using var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var path in new[] { "/api/report", "/api/wallboard", "/csv/intervals.csv", "/csv/days.csv", "/csv/calls.csv", "/history", "/wallboard" })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
    }
}
