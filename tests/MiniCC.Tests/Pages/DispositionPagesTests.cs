using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Desk;
using MiniCC.Pages;
using MiniCC.Tests.Desk;

namespace MiniCC.Tests.Pages;

/// <summary>Dispositions and notes where people read them: the call's page, calls.csv, the History page, dispositions.csv and the report's JSON.</summary>
public sealed partial class DispositionPagesTests : IDisposable
{
    private readonly TestApps _apps = new();

    public void Dispose() => _apps.Dispose();

    [GeneratedRegex("<tr><th scope=\"row\">([^<]*)</th><td data-disposition=\"([^\"]*)\">([^<]*)</td></tr>")]
    private static partial Regex DispositionRow();

    private MiniCCFactory Start(string language, Dictionary<string, string?>? extra = null)
    {
        var settings = DeskSettings.On(extra);
        settings["MiniCC:Language"] = language;
        return _apps.Start(settings);
    }

    /// <summary>Calls the operator Sato answered, each given the disposition (and the note) as the desk saves them.</summary>
    private static async Task<IReadOnlyList<string>> AnsweredWithAsync(MiniCCFactory app, params (string Key, string? Note)[] dispositions)
    {
        var (op, leg) = await app.OperatorInLoopAsync(name: "Sato");
        var calls = new List<string>();
        foreach (var (key, note) in dispositions)
        {
            var call = await app.AnsweredByAsync(leg);
            Assert.Equal(DispositionSaved.Saved, await app.Services.GetRequiredService<DispositionStore>().SaveAsync(call, op, key, note, default));
            calls.Add(call);
        }

        return calls;
    }

    [Theory]
    [InlineData("ja-JP", "対応結果", "要フォローアップ", "メモ", "記入者", "Sato +819033334444、2026/11/24 10:01:10")]
    [InlineData("en-US", "Disposition", "Follow-up needed", "Note", "Recorded by", "Sato +819033334444, 11/24/2026 10:01:10 AM")]
    public async Task ACallsPageShowsItsDispositionItsNoteAndWhoRecordedItWhen(string language, string title, string label, string note,
        string by, string who)
    {
        var app = Start(language);
        var call = (await AnsweredWithAsync(app, ("follow-up", "折り返し希望\n明日午前")))[0];
        using var browser = await PageClient.SignedInAsync(app);

        var page = await browser.PageAsync(PageRoutes.CallOf(call));
        Assert.Contains($"<dt>{title}</dt><dd id=\"disposition\">{label}</dd>", page, StringComparison.Ordinal);
        Assert.Contains($"<dt>{note}</dt><dd id=\"note\" class=\"call-note\">折り返し希望\n明日午前</dd>", page, StringComparison.Ordinal);
        Assert.Contains($"<dt>{by}</dt><dd id=\"disposition-by\">{who}</dd>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANoteIsShownAsTextNeverAsMarkup()
    {
        var app = Start("ja-JP");
        var call = (await AnsweredWithAsync(app, ("complaint", "<script>alert('x')</script><b>太字</b> & \"quoted\"")))[0];
        using var browser = await PageClient.SignedInAsync(app);

        using var response = await browser.GetAsync(new Uri(PageRoutes.CallOf(call), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Contains("<dd id=\"note\" class=\"call-note\">&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;太字&lt;/b&gt; &amp; &quot;quoted&quot;</dd>",
            raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>太字", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallsCsvHasTheDispositionAndTheNoteGuardedAgainstSpreadsheetFormulas()
    {
        var app = Start("ja-JP");
        var calls = await AnsweredWithAsync(app, ("resolved", "=HYPERLINK(\"http://evil.example\",\"開く\")\n2行目"), ("wrong-number", null));
        using var browser = await PageClient.SignedInAsync(app);

        var csv = await browser.GetStringAsync(new Uri("/csv/calls.csv?from=2026-11-24&to=2026-11-24", UriKind.Relative));
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",operator_phone,disposition,note", lines[0], StringComparison.Ordinal);
        var first = Assert.Single(lines, l => l.Contains(calls[0], StringComparison.Ordinal));
        Assert.True(first.EndsWith(",'+819033334444,resolved,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"開く\"\")\n2行目\"", StringComparison.Ordinal), first);
        Assert.EndsWith(",'+819033334444,wrong-number,", Assert.Single(lines, l => l.Contains(calls[1], StringComparison.Ordinal)), StringComparison.Ordinal);
        // The operator's own leg has none.
        Assert.EndsWith(",,", Assert.Single(lines, l => l.Contains(",operator,,", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja-JP", "対応結果別の通話数", new[] { "解決", "要フォローアップ", "案内のみ", "苦情", "間違い電話", "old-key" })]
    [InlineData("en-US", "Calls per disposition", new[] { "Resolved", "Follow-up needed", "Information only", "Complaint", "Wrong number", "old-key" })]
    public async Task TheReportCountsCallsPerDispositionOnTheHistoryPageInItsCsvAndInItsJson(string language, string title, string[] labels)
    {
        var app = Start(language);
        // A key no longer configured (the list changed since) is counted under its key.
        await AnsweredWithAsync(app, ("resolved", null), ("complaint", "怒っていた"), ("resolved", "ok"), ("old-key", null));
        using var browser = await PageClient.SignedInAsync(app);

        var page = await browser.PageAsync("/history?from=2026-11-24&to=2026-11-24");
        Assert.Contains($"<h2 id=\"dispositions-title\">{title}</h2>", page, StringComparison.Ordinal);
        var rows = DispositionRow().Matches(page).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToList();
        Assert.Equal(labels, rows.Select(r => r.Item1));
        Assert.Equal(["resolved", "follow-up", "information-only", "complaint", "wrong-number", "old-key"], rows.Select(r => r.Item2));
        Assert.Equal(["2", "0", "0", "1", "0", "1"], rows.Select(r => r.Item3));
        Assert.Contains("<a class=\"csv-dispositions\" href=\"/csv/dispositions.csv?from=2026-11-24&to=2026-11-24", page, StringComparison.Ordinal);

        var csv = await browser.GetStringAsync(new Uri("/csv/dispositions.csv?from=2026-11-24&to=2026-11-24", UriKind.Relative));
        Assert.Equal("disposition,calls\r\nresolved,2\r\ncomplaint,1\r\nold-key,1\r\n", csv.TrimStart('\uFEFF'));

        var json = JsonDocument.Parse(await browser.GetStringAsync(new Uri("/api/report?from=2026-11-24&to=2026-11-24", UriKind.Relative))).RootElement;
        Assert.Equal([("resolved", 2L), ("complaint", 1L), ("old-key", 1L)],
            json.GetProperty("dispositions").EnumerateArray().Select(d => (d.GetProperty("key").GetString()!, d.GetProperty("calls").GetInt64())));

        // Another day has none.
        Assert.Equal(["0", "0", "0", "0", "0"],
            DispositionRow().Matches(await browser.PageAsync("/history?from=2026-11-25&to=2026-11-25")).Select(m => m.Groups[3].Value));
    }

    [Fact]
    public async Task WhileTheDeskIsOffAndNoCallHasADispositionTheHistoryPageHasNoSuchTable()
    {
        var app = _apps.Start();
        using var browser = await PageClient.SignedInAsync(app);
        var page = await browser.PageAsync("/history");
        Assert.DoesNotContain("dispositions-title", page, StringComparison.Ordinal);
        Assert.Empty(DispositionRow().Matches(page));
    }

    [Fact]
    public async Task TheConfiguredListReplacesTheDefaultOneOnThePages()
    {
        var app = Start("ja-JP", new()
        {
            ["MiniCC:Desk:Dispositions:0:Key"] = "sale",
            ["MiniCC:Desk:Dispositions:0:Ja"] = "成約",
            ["MiniCC:Desk:Dispositions:0:En"] = "Sale",
            ["MiniCC:Desk:Dispositions:1:Key"] = "no-sale",
            ["MiniCC:Desk:Dispositions:1:Ja"] = "不成約",
            ["MiniCC:Desk:Dispositions:1:En"] = "No sale",
        });
        var call = (await AnsweredWithAsync(app, ("sale", null)))[0];
        using var browser = await PageClient.SignedInAsync(app);

        Assert.Contains("<dd id=\"disposition\">成約</dd>", await browser.PageAsync(PageRoutes.CallOf(call)), StringComparison.Ordinal);
        var rows = DispositionRow().Matches(await browser.PageAsync("/history?from=2026-11-24&to=2026-11-24"));
        Assert.Equal(["成約:1", "不成約:0"], rows.Select(m => $"{m.Groups[1].Value}:{m.Groups[3].Value}"));
    }
}
