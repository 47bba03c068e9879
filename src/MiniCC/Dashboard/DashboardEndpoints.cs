using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using MiniCC.Operators;
using MiniCC.Reports;
using MiniCC.Storage;
using MiniCC.Voice;

namespace MiniCC.Dashboard;

/// <summary>
/// The dashboard (Today, History, Operators, Abandoned callers, Calls), the wallboard, their JSON API and
/// CSV downloads. Signed-in users only. Pages are rendered on the server (every text HTML-encoded); charts
/// are drawn in the browser by Chart.js from the same JSON the API serves.
/// </summary>
public static class DashboardEndpoints
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services.AddScoped<Ctx>();

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").RequireAuthorization();

        pages.MapGet("/", (HttpContext h, Ctx c) => Page(h, c, "today", c.Text.Today, Range.Today(c), TodayBody));
        pages.MapGet("/history", (HttpContext h, Ctx c, string? from, string? to, int? interval) =>
            Page(h, c, "history", c.Text.History, Range.Parse(c, from, to, interval, days: 7), HistoryBody));
        pages.MapGet("/operators", async (HttpContext h, Ctx c, string? from, string? to, CancellationToken ct) =>
        {
            var range = Range.Parse(c, from, to, null, days: 1);
            var report = await c.Reports.SumsAsync(range.From, range.To, range.Interval, null, ct);
            IReadOnlyList<Operator> directory = [];
            try
            {
                directory = await c.OperatorStore.ListAsync(ct);
            }
            catch (System.Data.Common.DbException)
            {
            }

            return Page(h, c, "operators", c.Text.Operators, range, (html, _, _) => OperatorsBody(html, c, range, report, directory));
        });
        pages.MapGet("/abandoned", async (HttpContext h, Ctx c, string? from, string? to, CancellationToken ct) =>
        {
            var range = Range.Parse(c, from, to, null, days: 1);
            var report = await c.Reports.RunAsync(range.From, range.To, range.Interval, ct);
            return Page(h, c, "abandoned", c.Text.Abandoned, range, (html, _, _) => AbandonedBody(html, c, range, report));
        });
        pages.MapGet("/calls", async (HttpContext h, Ctx c, string? q, string? sid, CancellationToken ct) =>
        {
            var found = await c.Live.SearchAsync(q, 100, ct);
            var timeline = sid is { Length: 34 } && MiniCC.Twilio.Webhooks.Sid.IsValid(sid, "CA") ? await c.Live.TimelineAsync(sid, ct) : null;
            return Page(h, c, "calls", c.Text.Calls, Range.Today(c), (html, _, _) => CallsBody(html, c, q, found, sid, timeline));
        });
        pages.MapGet("/wallboard", (HttpContext h, Ctx c) =>
            Results.Content(Html.Page(c.Text.Lang, c.Text.Wallboard, WallboardBody(c), bodyClass: "wallboard"), "text/html; charset=utf-8"));

        // JSON for the charts and the wallboard.
        pages.MapGet("/api/report", async (Ctx c, string? from, string? to, int? interval, string? queue, CancellationToken ct) =>
        {
            var range = Range.Parse(c, from, to, interval, days: 1);
            return Results.Json(ReportJson.Of(await c.Reports.RunAsync(range.From, range.To, range.Interval, string.IsNullOrEmpty(queue) ? null : queue, ct)));
        });
        pages.MapGet("/api/wallboard", async (Ctx c, CancellationToken ct) =>
        {
            var w = await c.Live.WallboardAsync(ct);
            return Results.Json(new
            {
                at = w.At,
                waiting = w.Waiting,
                longestCurrentWaitSeconds = w.LongestCurrentWaitSeconds,
                operatorsSignedIn = w.OperatorsSignedIn,
                operatorsOnCall = w.OperatorsOnCall,
                today = ReportJson.Metrics(w.Today),
                serviceLevelFormula = w.ServiceLevelFormula,
                serviceLevelSeconds = w.ServiceLevelSeconds,
            });
        });

        // CSV for every table.
        pages.MapGet("/csv/intervals.csv", async (Ctx c, string? from, string? to, int? interval, CancellationToken ct) =>
        {
            var range = Range.Parse(c, from, to, interval, days: 1);
            return Csv(ReportCsv.Intervals(await c.Reports.SumsAsync(range.From, range.To, range.Interval, null, ct)), "intervals", range);
        });
        pages.MapGet("/csv/days.csv", async (Ctx c, string? from, string? to, CancellationToken ct) =>
        {
            var range = Range.Parse(c, from, to, null, days: 7);
            return Csv(ReportCsv.Days(await c.Reports.SumsAsync(range.From, range.To, range.Interval, null, ct)), "days", range);
        });
        pages.MapGet("/csv/weekday-hours.csv", async (Ctx c, string? from, string? to, CancellationToken ct) =>
        {
            var range = Range.Parse(c, from, to, null, days: 7);
            return Csv(ReportCsv.WeekdayHours(await c.Reports.SumsAsync(range.From, range.To, range.Interval, null, ct)), "weekday-hours", range);
        });
        pages.MapGet("/csv/menu.csv", async (Ctx c, string? from, string? to, CancellationToken ct) =>
        {
            var range = Range.Parse(c, from, to, null, days: 7);
            return Csv(ReportCsv.Menu(await c.Reports.SumsAsync(range.From, range.To, range.Interval, null, ct)), "menu", range);
        });
        pages.MapGet("/csv/operators.csv", async (Ctx c, string? from, string? to, CancellationToken ct) =>
        {
            var range = Range.Parse(c, from, to, null, days: 1);
            return Csv(ReportCsv.Operators(await c.Reports.SumsAsync(range.From, range.To, range.Interval, null, ct), c.Reports.Zone), "operators", range);
        });
        pages.MapGet("/csv/abandoned.csv", async (Ctx c, string? from, string? to, CancellationToken ct) =>
        {
            var range = Range.Parse(c, from, to, null, days: 1);
            return Csv(ReportCsv.Abandoned(await c.Reports.AbandonedCallersAsync(range.From, range.To, null, ct), c.Reports.Zone), "abandoned", range);
        });
        pages.MapGet("/csv/calls.csv", async (Ctx c, string? q, CancellationToken ct) =>
            Csv(ReportCsv.Calls(await c.Live.SearchAsync(q, 500, ct), c.Reports.Zone), "calls", null));
        return app;
    }

    /// <summary>What every dashboard handler needs, resolved once.</summary>
    internal sealed class Ctx(ReportQuery reports, LiveQuery live, OperatorStore operators, Database database, Spool spool,
        IOptions<VoiceOptions> voice, IOptions<ReportOptions> reportOptions, IAntiforgery antiforgery, TimeProvider time)
    {
        public TimeProvider Time { get; } = time;
        public ReportQuery Reports { get; } = reports;
        public LiveQuery Live { get; } = live;
        public OperatorStore OperatorStore { get; } = operators;
        public Database Database { get; } = database;
        public Spool Spool { get; } = spool;
        public ReportOptions ReportOptions { get; } = reportOptions.Value;
        public IAntiforgery Antiforgery { get; } = antiforgery;
        public DashText Text { get; } = DashText.For(voice.Value.Language);
    }

    internal sealed record Range(DateTimeOffset From, DateTimeOffset To, int Interval, DateOnly FirstDay, DateOnly LastDay)
    {
        public static Range Today(Ctx c) => Parse(c, null, null, null, days: 1);

        /// <summary>Local days (inclusive); defaults end today and span <paramref name="days"/> days. Bad input falls back to the default.</summary>
        public static Range Parse(Ctx c, string? from, string? to, int? interval, int days)
        {
            var q = c.Reports;
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(c.Time.GetUtcNow(), q.Zone).DateTime);
            var last = TryDay(to) ?? (TryDay(from) is { } f && days == 1 ? f : today);
            var first = TryDay(from) ?? last.AddDays(1 - days);
            if (first > last)
            {
                (first, last) = (last, first);
            }

            if (last.DayNumber - first.DayNumber > 400)
            {
                first = last.AddDays(-400);
            }

            return new Range(q.LocalMidnight(first), q.LocalMidnight(last.AddDays(1)), interval is 15 or 30 or 60 ? interval.Value : 30, first, last);
        }

        private static DateOnly? TryDay(string? s) =>
            DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

        public string Query => $"from={FirstDay:yyyy-MM-dd}&to={LastDay:yyyy-MM-dd}&interval={Interval}";
    }

    private static IResult Page(HttpContext http, Ctx c, string id, string title, Range range, Action<Html, Ctx, Range> body)
    {
        var t = c.Text;
        var html = new Html();
        html.Raw("<nav>");
        foreach (var (href, label, key) in new[] { ("/", t.Today, "today"), ("/history", t.History, "history"), ("/operators", t.Operators, "operators"),
                     ("/abandoned", t.Abandoned, "abandoned"), ("/calls", t.Calls, "calls"), ("/wallboard", t.Wallboard, "wallboard") })
        {
            html.Raw($"<a href=\"{href}\"{(key == id ? " aria-current=\"page\"" : "")}>").Text(label).Raw("</a>");
        }

        var tokens = c.Antiforgery.GetAndStoreTokens(http);
        html.Raw("<span class=\"who\">").Text(http.User.Identity?.Name).Raw("</span>")
            .Raw($"<form method=\"post\" action=\"{PageEndpoints.SignOutPath}\"><input type=\"hidden\" name=\"{Html.E(tokens.FormFieldName)}\" value=\"{Html.E(tokens.RequestToken)}\">")
            .Raw("<button type=\"submit\">").Text(t.SignOut).Raw("</button></form></nav>");
        html.Raw($"<h1>").Text(title).Raw("</h1>");
        body(html, c, range);
        var page = Html.Page(t.Lang, title, html.ToString(), scripts: ["/lib/chart.umd.min.js", "/js/dashboard.js"], pageId: id);
        return Results.Content(page, "text/html; charset=utf-8");
    }

    private static void RangeForm(Html html, Ctx c, string action, Range range, bool withInterval)
    {
        var t = c.Text;
        html.Raw($"<form class=\"range\" method=\"get\" action=\"{action}\">")
            .Raw("<label>").Text(t.From).Raw($" <input type=\"date\" name=\"from\" value=\"{range.FirstDay:yyyy-MM-dd}\"></label>")
            .Raw("<label>").Text(t.To).Raw($" <input type=\"date\" name=\"to\" value=\"{range.LastDay:yyyy-MM-dd}\"></label>");
        if (withInterval)
        {
            html.Raw("<label>").Text(t.Interval).Raw(" <select name=\"interval\">");
            foreach (var m in new[] { 15, 30, 60 })
            {
                html.Raw($"<option value=\"{m}\"{(m == range.Interval ? " selected" : "")}>{m}</option>");
            }

            html.Raw("</select></label>");
        }

        html.Raw("<button type=\"submit\">").Text(t.Show).Raw("</button></form>");
    }

    private static void Tiles(Html html, Ctx c)
    {
        var t = c.Text;
        var o = c.ReportOptions;
        html.Raw("<section class=\"tiles\">");
        foreach (var (key, label, def) in new[]
                 {
                     ("offered", t.Offered, t.DefOffered), ("answered", t.Answered, t.DefAnswered), ("abandoned", t.AbandonedCount, t.DefAbandoned),
                     ("abandonRatePercent", t.AbandonRate, t.DefAbandonRate), ("serviceLevelPercent", t.ServiceLevel, t.DefSl(o.ServiceLevelSeconds, o.ServiceLevelFormula)),
                     ("averageSpeedOfAnswerSeconds", t.Asa, t.DefAsa), ("averageHandleTimeSeconds", t.Aht, t.DefAht), ("longestWaitSeconds", t.LongestWait, ""),
                 })
        {
            html.Raw($"<div class=\"tile\"><div class=\"label\">").Text(label).Raw($"</div><div class=\"value\" data-metric=\"{key}\">…</div><div class=\"def\">")
                .Text(def).Raw("</div></div>");
        }

        html.Raw("</section>");
    }

    private static void TodayBody(Html html, Ctx c, Range range)
    {
        html.Raw($"<div id=\"report\" data-api=\"/api/report?{range.Query}\" data-tz=\"{Html.E(c.ReportOptions.TimeZone)}\">");
        Tiles(html, c);
        html.Raw("<canvas id=\"chart-volume\" height=\"110\"></canvas>");
        html.Raw($"<p><a class=\"csv\" href=\"/csv/intervals.csv?{range.Query}\">").Text(c.Text.Csv).Raw("</a></p></div>");
        html.Raw("<p class=\"status\">").Text($"{c.Database.Settings.Describe()} — spool: {c.Spool.Backlog}").Raw("</p>");
    }

    private static void HistoryBody(Html html, Ctx c, Range range)
    {
        RangeForm(html, c, "/history", range, withInterval: true);
        html.Raw($"<div id=\"report\" data-api=\"/api/report?{range.Query}\">");
        Tiles(html, c);
        html.Raw("<canvas id=\"chart-volume\" height=\"110\"></canvas><canvas id=\"chart-speed\" height=\"110\"></canvas><canvas id=\"chart-staffing\" height=\"110\"></canvas>");
        html.Raw($"<p><a class=\"csv\" href=\"/csv/intervals.csv?{range.Query}\">").Text(c.Text.Csv).Raw("</a></p>");
        html.Raw("<table id=\"intervals\"><thead><tr>");
        foreach (var h in new[] { c.Text.Start, c.Text.Offered, c.Text.Answered, c.Text.AbandonedCount, c.Text.Asa, c.Text.ServiceLevel, c.Text.Aht, c.Text.ErlangNeeded, c.Text.SignedIn })
        {
            html.Raw("<th>").Text(h).Raw("</th>");
        }

        html.Raw("</tr></thead><tbody></tbody></table>");
        html.Raw("<h2>").Text(c.Text.Days).Raw("</h2><table id=\"days\"><thead><tr><th>").Text(c.Text.Day).Raw("</th><th>").Text(c.Text.Offered)
            .Raw("</th><th>").Text(c.Text.Answered).Raw("</th><th>").Text(c.Text.AbandonedCount).Raw("</th><th>").Text(c.Text.ServiceLevel)
            .Raw("</th><th>").Text(c.Text.Asa).Raw("</th><th>").Text(c.Text.AverageWait).Raw("</th></tr></thead><tbody></tbody></table>");
        html.Raw($"<p><a class=\"csv-days\" href=\"/csv/days.csv?{range.Query}\">").Text(c.Text.Csv).Raw("</a></p>");
        html.Raw("<h2>").Text(c.Text.WeekdayHour).Raw("</h2><table id=\"weekday-hours\"><thead><tr><th></th>");
        for (var h = 0; h < 24; h++)
        {
            html.Raw($"<th>{h}</th>");
        }

        html.Raw("</tr></thead><tbody></tbody></table>");
        html.Raw($"<p><a class=\"csv-weekday-hours\" href=\"/csv/weekday-hours.csv?{range.Query}\">").Text(c.Text.Csv).Raw("</a></p>");
        html.Raw("<h2>").Text(c.Text.Ivr).Raw("</h2><table id=\"ivr\"><tbody>");
        foreach (var (key, label) in new[] { ("operatorChoice", "1"), ("information", "2"), ("invalid", c.Text.Invalid), ("noInput", c.Text.NoInputChoice) })
        {
            html.Raw("<tr><th>").Text(label).Raw($"</th><td data-ivr=\"{key}\">…</td></tr>");
        }

        html.Raw("</tbody></table>");
        html.Raw($"<p><a class=\"csv-menu\" href=\"/csv/menu.csv?{range.Query}\">").Text(c.Text.Csv).Raw("</a></p></div>");
    }

    private static void OperatorsBody(Html html, Ctx c, Range range, Report report, IReadOnlyList<Operator> directory)
    {
        var t = c.Text;
        RangeForm(html, c, "/operators", range, withInterval: false);
        Table(html, "operators", [t.Phone, t.Name, t.CallsTaken, t.TalkTime, t.AvgHandle, t.FirstCall, t.LastCall, t.SignedInTime],
            report.Operators.Select(o => new[]
            {
                o.Phone, o.Name, Num(o.CallsTaken), Num(o.TalkSeconds), Num(o.AverageHandleSeconds), Local(c, o.FirstCall), Local(c, o.LastCall), Num(o.SignedInSeconds),
            }), t.NoData);
        html.Raw($"<p><a class=\"csv\" href=\"/csv/operators.csv?{range.Query}\">").Text(t.Csv).Raw("</a></p>");
        html.Raw("<h2>").Text(t.Directory).Raw("</h2>");
        var now = c.Time.GetUtcNow().ToUnixTimeMilliseconds();
        Table(html, "directory", [t.Phone, t.Name, t.Status, t.Pin],
            directory.Select(o => new[] { o.Phone, o.Name, o.Active ? "active" : "disabled", PinState(c, o, now) }), "—");
    }

    /// <summary>Whether the operator keys a PIN, and whether wrong PINs have locked it (<c>minicc operators unlock</c> ends that).</summary>
    private static string PinState(Ctx c, Operator o, long now) =>
        o.PinHash is null ? c.Text.PinNone
        : o.PinLockedUntil is { } until && until > now ? c.Text.PinLockedUntil(Local(c, DateTimeOffset.FromUnixTimeMilliseconds(until)))
        : c.Text.PinSet;

    private static void AbandonedBody(Html html, Ctx c, Range range, Report report)
    {
        var t = c.Text;
        RangeForm(html, c, "/abandoned", range, withInterval: false);
        Table(html, "abandoned", [t.EnteredAt, t.Phone, t.Wait, "CallSid"],
            report.AbandonedCallers.Select(a => new[] { Local(c, a.EnteredAt), a.FromNumber, a.WaitSeconds?.ToString(CultureInfo.InvariantCulture), a.CallSid }), t.NoData);
        if (report.Totals.Abandoned > report.AbandonedCallers.Count)
        {
            html.Raw("<p class=\"note\">").Text(t.AbandonedNewest(report.AbandonedCallers.Count, report.Totals.Abandoned)).Raw("</p>");
        }

        html.Raw($"<p><a class=\"csv\" href=\"/csv/abandoned.csv?{range.Query}\">").Text(t.Csv).Raw("</a></p>");
    }

    private static void CallsBody(Html html, Ctx c, string? q, IReadOnlyList<CallSummary> calls, string? sid, IReadOnlyList<CallEvent>? timeline)
    {
        var t = c.Text;
        html.Raw("<form class=\"range\" method=\"get\" action=\"/calls\"><label>").Text(t.Search)
            .Raw(" <input name=\"q\" value=\"").Text(q).Raw("\" placeholder=\"").Text(t.SearchHint).Raw("\"></label><button type=\"submit\">")
            .Text(t.Search).Raw("</button></form>");
        html.Raw("<table id=\"calls\"><thead><tr>");
        foreach (var h in new[] { t.Started, "CallSid", t.Phone, t.Role, t.Ivr, t.Result, t.Wait, t.Talk, t.Status })
        {
            html.Raw("<th>").Text(h).Raw("</th>");
        }

        html.Raw("</tr></thead><tbody>");
        foreach (var call in calls)
        {
            html.Raw("<tr><td>").Text(Local(c, call.StartedAt)).Raw($"</td><td><a href=\"/calls?sid={Html.E(call.CallSid)}&amp;q={Html.E(Uri.EscapeDataString(q ?? ""))}\">")
                .Text(call.CallSid).Raw("</a></td><td>").Text(call.FromNumber).Raw("</td><td>").Text(call.Role).Raw("</td><td>").Text(call.IvrChoice)
                .Raw("</td><td>").Text(call.QueueResult).Raw("</td><td>").Text(call.WaitSeconds?.ToString(CultureInfo.InvariantCulture))
                .Raw("</td><td>").Text(call.TalkSeconds?.ToString(CultureInfo.InvariantCulture)).Raw("</td><td>").Text(call.FinalStatus).Raw("</td></tr>");
        }

        html.Raw("</tbody></table>");
        html.Raw($"<p><a class=\"csv\" href=\"/csv/calls.csv?q={Html.E(Uri.EscapeDataString(q ?? ""))}\">").Text(t.Csv).Raw("</a></p>");
        if (timeline is not null)
        {
            html.Raw("<h2>").Text($"{t.Timeline}: {sid}").Raw("</h2><ol id=\"timeline\">");
            foreach (var e in timeline)
            {
                html.Raw("<li>").Text($"{Local(c, e.At)}  {e.Kind}  {e.Detail}").Raw("</li>");
            }

            html.Raw("</ol>");
        }
    }

    private static string WallboardBody(Ctx c)
    {
        var t = c.Text;
        var html = new Html();
        html.Raw("<div id=\"wallboard\" data-api=\"/api/wallboard\">");
        foreach (var (key, label) in new[]
                 {
                     ("waiting", t.Waiting), ("longestCurrentWaitSeconds", t.LongestCurrentWait), ("operatorsSignedIn", t.SignedIn),
                     ("operatorsOnCall", t.OnCall), ("today.serviceLevelPercent", t.ServiceLevel), ("today.abandonRatePercent", t.AbandonRate),
                 })
        {
            html.Raw($"<div class=\"big\"><div class=\"label\">").Text(label).Raw($"</div><div class=\"value\" data-live=\"{key}\">…</div></div>");
        }

        html.Raw("<p class=\"updated\" data-live=\"at\"></p></div>");
        html.Raw("<script src=\"/js/dashboard.js\"></script>");
        return html.ToString();
    }

    private static void Table(Html html, string id, string[] headers, IEnumerable<string?[]> rows, string empty)
    {
        html.Raw($"<table id=\"{id}\"><thead><tr>");
        foreach (var h in headers)
        {
            html.Raw("<th>").Text(h).Raw("</th>");
        }

        html.Raw("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            html.Raw("<tr>");
            foreach (var cell in row)
            {
                html.Raw("<td>").Text(cell).Raw("</td>");
            }

            html.Raw("</tr>");
        }

        if (!any)
        {
            html.Raw($"<tr><td colspan=\"{headers.Length}\">").Text(empty).Raw("</td></tr>");
        }

        html.Raw("</tbody></table>");
    }

    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string? Local(Ctx c, DateTimeOffset? t) =>
        t is { } v ? TimeZoneInfo.ConvertTime(v, c.Reports.Zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : null;

    private static IResult Csv(string body, string name, Range? range) =>
        Results.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(body)).ToArray(), "text/csv; charset=utf-8",
            range is null ? $"minicc-{name}.csv" : $"minicc-{name}-{range.FirstDay:yyyyMMdd}-{range.LastDay:yyyyMMdd}.csv");
}
