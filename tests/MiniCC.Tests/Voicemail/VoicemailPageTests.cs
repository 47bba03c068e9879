using System.Net;
using System.Text;
using MiniCC.Tests.Pages;
using static MiniCC.Tests.Twilio;
using static MiniCC.Tests.Voicemail.Voicemails;

namespace MiniCC.Tests.Voicemail;

/// <summary>The voicemail page, "mark handled" and the CSV over HTTP, as a signed-in person uses them.</summary>
public sealed class VoicemailPageTests : IDisposable
{
    private readonly MiniCCFactory _app = new(new() { ["MiniCC:Language"] = "en-US", ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ThePageListsEveryVoicemailNewestFirstWithAPlayerWhereThereIsAMessage()
    {
        var older = await _app.LeaveAsync(from: "+819011110001", reason: "closed", seconds: 65);
        _app.Clock.Advance(TimeSpan.FromMinutes(10));
        var silent = NewCallSid();
        await _app.TwimlAsync("/voice/voicemail?reason=no-operator", Prompt(silent, "+819011110002"));
        await _app.TwimlAsync("/voice/voicemail-recorded?reason=no-operator", Call(silent, "+819011110002", extra: ("Digits", "hangup")));
        _app.Clock.Advance(TimeSpan.FromMinutes(10));
        var newer = await _app.LeaveAsync(from: "+819011110003", reason: "key", seconds: 7);

        using var browser = await PageClient.SignedInAsync(_app);
        var html = await browser.PageAsync("/voicemails");
        var rows = new[] { newer, silent, older }.Select(c => html.IndexOf("id=\"vm-" + c + "\"", StringComparison.Ordinal)).ToArray();
        Assert.All(rows, r => Assert.True(r > 0));
        Assert.Equal(rows.Order(), rows);
        Assert.Contains($"<audio controls preload=\"none\" src=\"/voicemails/{newer}/audio\" aria-label=\"Message from +819011110003\"></audio>", html,
            StringComparison.Ordinal);
        Assert.Contains($"src=\"/voicemails/{older}/audio\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"src=\"/voicemails/{silent}/audio\"", html, StringComparison.Ordinal);
        // 10:00:00 JST (the report zone) is 01:00 UTC, the app's clock at the start.
        Assert.Contains("11/24/2026 10:00:00 AM", html, StringComparison.Ordinal);
        Assert.Contains("Outside opening hours", html, StringComparison.Ordinal);
        Assert.Contains("No operator signed in", html, StringComparison.Ordinal);
        Assert.Contains("Chose voicemail while waiting", html, StringComparison.Ordinal);
        Assert.Contains("1:05", html, StringComparison.Ordinal);
        Assert.Contains("No message (hung up before or during the beep)", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("action=\"/voicemails/").Length - 1);
        Assert.Contains("href=\"/voicemails\" aria-current=\"page\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InJapaneseThePageSpeaksJapanese()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo" });
        await app.LeaveAsync(reason: "max-wait");
        using var browser = await PageClient.SignedInAsync(app);
        var html = await browser.PageAsync("/voicemails");
        foreach (var words in new[] { "留守番電話", "待ち時間の上限", "再生可能", "対応済みにする", "2026/11/24 10:00:00" })
        {
            Assert.Contains(words, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MarkingHandledRecordsWhoAndWhenAndNeedsTheFormsToken()
    {
        var call = await _app.LeaveAsync();
        using var browser = await PageClient.SignedInAsync(_app);
        var token = await SignInForm.TokenAsync(browser, "/voicemails");
        var path = new Uri($"/voicemails/{call}/handled", UriKind.Relative);

        using (var forged = await browser.PostAsync(path, new FormUrlEncodedContent([])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Null((await _app.VoicemailStore().FindAsync(call, default))!.HandledAt);
        }

        _app.Clock.Advance(TimeSpan.FromHours(2));
        using (var marked = await browser.PostAsync(path, new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", token)])))
        {
            Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
            Assert.Equal("/voicemails#vm-" + call, marked.Headers.Location!.OriginalString);
        }

        var v = await _app.VoicemailStore().FindAsync(call, default);
        Assert.Equal((SignInForm.User, (long?)_app.Clock.GetUtcNow().ToUnixTimeMilliseconds()), (v!.HandledBy, v.HandledAt));
        var html = await browser.PageAsync("/voicemails");
        Assert.Contains("<span class=\"handled\">manager, 11/24/2026 12:00:18 PM</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"/voicemails/{call}/handled\"", html, StringComparison.Ordinal);

        using var unknown = await browser.PostAsync(new Uri($"/voicemails/{NewCallSid()}/handled", UriKind.Relative),
            new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("There is no such voicemail.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCsvListsEveryVoicemailWithTimesInTheReportZone()
    {
        var first = await _app.LeaveAsync(from: "=HYPERLINK(\"x\")", seconds: 12);
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await _app.LeaveAsync(reason: "no-operator", seconds: 3);
        await _app.VoicemailStore().MarkHandledAsync(second, "佐藤", default);
        using var browser = await PageClient.SignedInAsync(_app);
        using var response = await browser.GetAsync(new Uri("/voicemails.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("minicc-voicemails.csv", response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] expected =
        [
            "call_sid,from_number,reason,recorded_at,duration_seconds,status,recording_sid,handled_at,handled_by",
            $"{second},'+819011112222,no-operator,2026-11-24T10:01:16+09:00,3,completed,{RecordingOf(second)},2026-11-24T10:01:23+09:00,佐藤",
            // As in every MiniCC CSV, a text a spreadsheet would run as a formula (a + number too) is kept as text.
            $"{first},\"'=HYPERLINK(\"\"x\"\")\",closed,2026-11-24T10:00:00+09:00,12,completed,{RecordingOf(first)},,",
        ];
        Assert.Equal(expected.Length, lines.Length);
        foreach (var (e, a) in expected.Zip(lines))
        {
            Assert.Equal(e, a);
        }
    }

    private string RecordingOf(string call) => _app.VoicemailStore().FindAsync(call, default).Result!.RecordingSid!;

    [Theory]
    [InlineData("/voicemails")]
    [InlineData("/voicemails.csv")]
    [InlineData("/voicemails/CA0123456789abcdef0123456789abcdef/audio")]
    public async Task NobodyWhoIsNotSignedInSeesOrHearsAVoicemail(string path)
    {
        await _app.LeaveAsync();
        using var anonymous = SignInForm.NewBrowser(_app);
        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/signin", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
