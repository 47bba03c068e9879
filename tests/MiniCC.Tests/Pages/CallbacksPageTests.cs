using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Dapper;
using MiniCC.Tests.Desk;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Pages;

public sealed class SqliteCallbacksPageTests() : CallbacksPageTests("sqlite");

public sealed class MySqlCallbacksPageTests() : CallbacksPageTests("mysql");

public sealed class PostgresCallbacksPageTests() : CallbacksPageTests("postgres");

/// <summary>
/// The Callbacks page and callbacks.csv over HTTP, on every database: the failed callbacks a person must make first (with
/// "mark handled"), then the range's callbacks newest first; only a failed callback can be marked handled, once.
/// </summary>
public abstract partial class CallbacksPageTests(string provider) : IDisposable
{
    private const string Later = "+819077778888";
    private const string Last = "+819055550000";

    private MiniCCFactory? _app;

    private string _language = "ja-JP";

    /// <summary>Created on first use, inside the test, so that a database that is not configured skips it.</summary>
    private MiniCCFactory App => _app ??= new MiniCCFactory(provider, CallbackRequests.Settings(new() { ["MiniCC:Language"] = _language }));

    public void Dispose()
    {
        _app?.Dispose();
        GC.SuppressFinalize(this);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>
    /// At 10:00 in Tokyo three numbers ask a minute apart (Customer's place 40 s earlier, Later's 20 s). Sato's loop calls
    /// Customer back first (answered 5 s on, 2:45 after their place; the Dial's action comes after a minute's talk), then
    /// Later (busy: failed, for a person); Last waits.
    /// Returns the callbacks' ids in that order.
    /// </summary>
    private async Task<long[]> SeedAsync()
    {
        var (_, leg) = await App.OperatorInLoopAsync(name: "佐藤");
        await App.AskCallbackAsync(Customer, MiniCCFactory.StartMs - 40_000);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await App.AskCallbackAsync(Later, App.Clock.GetUtcNow().ToUnixTimeMilliseconds() - 20_000);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await App.AskCallbackAsync(Last, App.Clock.GetUtcNow().ToUnixTimeMilliseconds());

        var (first, action) = await App.DialsAsync(leg, OperatorPhone);
        Assert.Equal(Customer, first);
        App.Clock.Advance(TimeSpan.FromSeconds(65));
        await App.DialEndsAsync(action, leg, OperatorPhone, "completed", talkSeconds: 60);
        var (second, busy) = await App.DialsAsync(leg, OperatorPhone);
        Assert.Equal(Later, second);
        await App.DialEndsAsync(busy, leg, OperatorPhone, "busy");
        return [.. await App.Database.ReadAsync(async c => await c.QueryAsync<long>("SELECT id FROM callbacks ORDER BY created_at"), default)];
    }

    /// <summary>A table of the page, by its id: each row's data-callback and its cells' text.</summary>
    private static List<(string Id, string[] Cells)> Rows(string html, string table)
    {
        var start = html.IndexOf($"<table id=\"{table}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table {table}");
        var xml = XElement.Parse(html[start..(html.IndexOf("</table>", start, StringComparison.Ordinal) + "</table>".Length)]);
        return [.. xml.Descendants("tbody").Elements("tr").Select(tr =>
            ((string?)tr.Attribute("data-callback") ?? "", tr.Elements("td").Select(td => td.Value.Replace('\u202F', ' ')).ToArray()))];
    }

    private static async Task<string> RawAsync(HttpClient browser, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [SkippableTheory]
    [InlineData("ja-JP", "順番待ち", "不通（要対応）", "折り返し済み", "話し中", "応答", "2026/11/24 10:00:00", "2026/11/24 9:59:20", "対応済みにする")]
    [InlineData("en-US", "Waiting for its turn", "Not reached: for a person", "Called back", "Busy", "Answered", "11/24/2026 10:00:00 AM", "11/24/2026 9:59:20 AM",
        "Mark handled")]
    public async Task ThePageListsTheFailedCallbacksForAPersonFirstThenTheRangesCallbacksNewestFirst(string language, string pending, string failed,
        string completed, string busy, string answered, string asked, string place, string mark)
    {
        _language = language;
        var ids = await SeedAsync();
        using var browser = await PageClient.SignedInAsync(App);
        var html = await RawAsync(browser, "/callbacks");

        Assert.True(html.IndexOf("id=\"for-a-person\"", StringComparison.Ordinal) < html.IndexOf("id=\"callbacks\"", StringComparison.Ordinal));
        var person = Assert.Single(Rows(html, "for-a-person"));
        Assert.Equal(ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture), person.Id);
        Assert.Contains($"<button type=\"submit\" name=\"handled\" value=\"{ids[1]}\"", html, StringComparison.Ordinal);

        var rows = Rows(html, "callbacks");
        Assert.Equal([Later, rows[1].Cells[1], "1", busy, "佐藤 (+819033334444)", mark], person.Cells);
        Assert.Equal(ids.Reverse().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r.Id));
        Assert.Equal([Last, pending, "0", DashNone, DashNone, DashNone, DashNone], Columns(rows[0].Cells));
        Assert.Equal([Later, failed, "1", busy, "佐藤 (+819033334444)", DashNone, DashNone], Columns(rows[1].Cells));
        Assert.Equal([Customer, completed, "1", answered, "佐藤 (+819033334444)", "2:45", DashNone], Columns(rows[2].Cells));
        Assert.Equal((asked, place), (rows[2].Cells[1], rows[2].Cells[2]));
        Assert.Contains("<a class=\"csv\" href=\"/callbacks.csv?from=2026-11-24&amp;to=2026-11-24", html, StringComparison.Ordinal);

        // The page is in the navigation, and the range narrows the list: nothing was asked for the day before.
        Assert.Contains("<a href=\"/callbacks\" aria-current=\"page\">", html, StringComparison.Ordinal);
        var before = await RawAsync(browser, "/callbacks?from=2026-11-23&to=2026-11-23");
        Assert.Empty(Assert.Single(Rows(before, "callbacks")).Id);
        Assert.Equal(ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(Rows(before, "for-a-person")).Id);
    }

    private const string DashNone = "—";

    /// <summary>Number, status, attempts, last result, dialed by, time to callback, handled: the columns that do not depend on the clock's words.</summary>
    private static string[] Columns(string[] cells) => [cells[0], cells[3], cells[4], cells[5], cells[6], cells[7], cells[8]];

    [SkippableFact]
    public async Task CallbacksCsvHasTheRangesCallbacksWithTheirTimesInTheReportZone()
    {
        var ids = await SeedAsync();
        using var browser = await PageClient.SignedInAsync(App);

        using var response = await browser.GetAsync(new Uri("/callbacks.csv?from=2026-11-24&to=2026-11-24", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("minicc-callbacks-20261124-20261124.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("asked_at,number,place_at,status,attempts,last_result,last_attempt_at,operator_phone,operator_name,completed_at,"
            + "time_to_callback_seconds,handled_at,handled_by,call_sid", lines[0]);
        Assert.Equal(4, lines.Length);
        // A number starts with +, which a spreadsheet would run as a formula: it is quoted as calls.csv quotes it.
        Assert.StartsWith("2026-11-24T10:02:00+09:00,'+819055550000,2026-11-24T10:02:00+09:00,pending,0,,,,,,,,,CA", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2026-11-24T10:01:00+09:00,'+819077778888,2026-11-24T10:00:40+09:00,failed,1,busy,2026-11-24T10:03:05+09:00,'+819033334444,佐藤,,,,,CA",
            lines[2], StringComparison.Ordinal);
        Assert.StartsWith("2026-11-24T10:00:00+09:00,'+819011112222,2026-11-24T09:59:20+09:00,completed,1,completed,2026-11-24T10:03:05+09:00,'+819033334444,佐藤,"
            + "2026-11-24T10:02:05+09:00,165,,,CA", lines[3], StringComparison.Ordinal);
        Assert.Equal(3, ids.Length);

        var empty = await browser.GetStringAsync(new Uri("/callbacks.csv?from=2026-11-25&to=2026-11-25", UriKind.Relative));
        Assert.Single(empty.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Presses "mark handled" as a browser does: the form's handler, the button's value and the page's antiforgery token.</summary>
    private static async Task<(HttpStatusCode Status, string Html)> MarkAsync(HttpClient browser, string id, bool withToken = true)
    {
        var page = await RawAsync(browser, "/callbacks");
        var content = new List<KeyValuePair<string, string>> { new("_handler", "handled"), new("handled", id) };
        if (withToken)
        {
            content.Add(new("__RequestVerificationToken", TokenField().Match(page).Groups[1].Value));
        }

        using var body = new FormUrlEncodedContent(content);
        using var response = await browser.PostAsync(new Uri("/callbacks", UriKind.Relative), body);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Replace('\u202F', ' '));
    }

    private Task<(long? HandledAt, string? HandledBy)> HandledAsync(long id) =>
        App.Database.ReadAsync(c => c.QuerySingleAsync<(long?, string?)>("SELECT handled_at, handled_by FROM callbacks WHERE id = @id", new { id }), default);

    [SkippableFact]
    public async Task MarkingAFailedCallbackHandledRecordsWhoAndWhenAndTakesItOffTheListOnce()
    {
        var ids = await SeedAsync();
        using var browser = await PageClient.SignedInAsync(App);
        App.Clock.Advance(TimeSpan.FromMinutes(30));

        var (status, html) = await MarkAsync(browser, ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<p id=\"handled-result\" role=\"status\">+819077778888 への折り返しを対応済みにしました。</p>", html, StringComparison.Ordinal);
        Assert.Equal((MiniCCFactory.StartMs + 33 * 60_000 + 5_000, SignInForm.User), await HandledAsync(ids[1]));
        var page = await RawAsync(browser, "/callbacks");
        Assert.Empty(Assert.Single(Rows(page, "for-a-person")).Id);
        Assert.Equal($"{SignInForm.User}、2026/11/24 10:33:05", Rows(page, "callbacks")[1].Cells[8]);
        Assert.Contains(App.Logs.Lines, l => l.Contains($"{SignInForm.User} marked callback {ids[1]} handled on the Callbacks page: Marked", StringComparison.Ordinal));

        // A second press (another person, a stale page) changes nothing: the first one is who handled it.
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        (status, html) = await MarkAsync(browser, ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("その折り返しはすでに対応済みです。", html, StringComparison.Ordinal);
        Assert.Equal((MiniCCFactory.StartMs + 33 * 60_000 + 5_000, SignInForm.User), await HandledAsync(ids[1]));
    }

    [SkippableFact]
    public async Task OnlyAFailedCallbackCanBeMarkedHandledAndOnlyWithTheFormsToken()
    {
        var ids = await SeedAsync();
        using var browser = await PageClient.SignedInAsync(App);

        // Completed and still waiting: MiniCC's, not a person's.
        foreach (var id in new[] { ids[0], ids[2] })
        {
            var (status, html) = await MarkAsync(browser, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Contains("対応済みにできるのは、つながらなかった折り返しだけです。", html, StringComparison.Ordinal);
            Assert.Equal(((long?)null, (string?)null), await HandledAsync(id));
        }

        foreach (var id in new[] { "999999", "1 OR 1=1", "" })
        {
            var (status, html) = await MarkAsync(browser, id);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("該当する折り返しはありません。", html, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await MarkAsync(browser, ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture), withToken: false)).Status);
        Assert.Equal(((long?)null, (string?)null), await HandledAsync(ids[1]));
    }

    [SkippableFact]
    public async Task NoOneSeesOrMarksCallbacksWithoutSigningIn()
    {
        var ids = await SeedAsync();
        using var anonymous = SignInForm.NewBrowser(App);
        foreach (var path in new[] { "/callbacks", "/callbacks.csv" })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/signin", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        using var form = new FormUrlEncodedContent([new("_handler", "handled"), new("handled", ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        using var post = await anonymous.PostAsync(new Uri("/callbacks", UriKind.Relative), form);
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(((long?)null, (string?)null), await HandledAsync(ids[1]));
    }

    [SkippableFact]
    public async Task ANumberIsShownAsTextNeverAsMarkup()
    {
        // Numbers MiniCC stores are E.164; one written into the table by other means is still only text on the page.
        await App.Database.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO callbacks (call_sid, number, queue_name, requested_at, created_at, status, attempts, due_at) " +
            "VALUES (@sid, @number, 'MiniCC', @now, @now, 'failed', 3, @now)",
            new { sid = NewCallSid(), number = "<b>+81</b>&\"x\"", now = MiniCCFactory.StartMs }, tx)), default);
        using var browser = await PageClient.SignedInAsync(App);

        var html = await RawAsync(browser, "/callbacks");
        Assert.DoesNotContain("<b>+81", html, StringComparison.Ordinal);
        Assert.Contains("<td>&lt;b&gt;&#x2B;81&lt;/b&gt;&amp;&quot;x&quot;</td>", html, StringComparison.Ordinal);
    }
}
