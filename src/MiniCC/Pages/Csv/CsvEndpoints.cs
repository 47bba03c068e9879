using System.Text;
using MiniCC.Callbacks;
using MiniCC.Reports;

namespace MiniCC.Pages;

/// <summary>
/// A CSV download of every table the pages show (<c>/csv/{table}.csv?from=&amp;to=</c>), each read with only the query it needs:
/// the sums of a report part, the abandoned callers, or the calls. Signed-in users only.
/// </summary>
public static class CsvEndpoints
{
    public static IEndpointRouteBuilder MapCsv(this IEndpointRouteBuilder app)
    {
        var csv = app.MapGroup("").RequireAuthorization();
        Report(csv, "intervals", days: 1, ReportParts.Counts | ReportParts.SignedIn | ReportParts.QuietIntervals, (r, _) => ReportCsv.Intervals(r));
        Report(csv, "days", days: 7, ReportParts.Counts | ReportParts.QuietIntervals, (r, _) => ReportCsv.Days(r));
        Report(csv, "weekday-hours", days: 7, ReportParts.Counts, (r, _) => ReportCsv.WeekdayHours(r));
        Report(csv, "menu", days: 7, ReportParts.Menu, (r, _) => ReportCsv.Menu(r));
        Report(csv, "operators", days: 1, ReportParts.Operators, ReportCsv.Operators);
        Report(csv, "dispositions", days: 7, ReportParts.Dispositions, (r, _) => ReportCsv.Dispositions(r));
        Report(csv, "not-waiting", days: 7, ReportParts.NotWaiting, (r, _) => ReportCsv.NotWaiting(r));
        Table(csv, "abandoned", days: 1, async (services, range, _, ct) =>
        {
            var reports = services.GetRequiredService<ReportQuery>();
            return ReportCsv.Abandoned(await reports.AbandonedCallersAsync(range.From, range.To, null, ct), reports.Zone);
        });
        Table(csv, "calls", days: 1, async (services, range, search, ct) => ReportCsv.Calls(
            await services.GetRequiredService<CallQuery>().ListAsync(new CallFilter(range.From, range.To, search), 0, CallQuery.MaxDownload, ct),
            services.GetRequiredService<ReportQuery>().Zone));
        Table(csv, "callbacks", days: 1, async (services, range, _, ct) => ReportCsv.Callbacks(
            await services.GetRequiredService<CallbackList>().InRangeAsync(range.From, range.To, CallbackList.MaxDownload, ct),
            services.GetRequiredService<ReportQuery>().Zone), path: PageRoutes.CallbacksCsv);
        return app;
    }

    /// <summary>A table of the report: only its <paramref name="parts"/> are read.</summary>
    private static void Report(RouteGroupBuilder csv, string table, int days, ReportParts parts, Func<Report, TimeZoneInfo, string> write) =>
        Table(csv, table, days, async (services, range, _, ct) =>
        {
            var reports = services.GetRequiredService<ReportQuery>();
            return write(await reports.RunAsync(range.From, range.To, range.Interval, range.Queue, ReportSource.Rollups, parts, ct), reports.Zone);
        });

    /// <summary>
    /// The one helper every download goes through: the range from the query string (<c>from</c>, <c>to</c>, <c>interval</c>;
    /// <paramref name="days"/> up to today by default), the search <c>q</c> where the table has one, UTF-8 with a byte order mark
    /// (so that spreadsheets read Japanese right), and a file name that says the table and the range. It is served at
    /// <c>/csv/{table}.csv</c>, or at <paramref name="path"/> (a page's own download, such as <c>/callbacks.csv</c>).
    /// </summary>
    private static void Table(RouteGroupBuilder csv, string table, int days, Func<IServiceProvider, DayRange, string?, CancellationToken, Task<string>> read,
        string? path = null) =>
        csv.MapGet(path ?? PageRoutes.Csv(table), async (HttpContext http, ReportQuery reports, MiniCC.Queues.QueueDirectory queues, TimeProvider time,
            string? from, string? to, int? interval, string? q, string? queue, CancellationToken ct) =>
        {
            // A report table of one queue (queue=, one of MiniCC:Queues), as the History page shows it; other tables are the center's.
            var range = DayRange.Parse(reports, time, from, to, interval, days) with { Queue = queues.Has(queue) ? queue : null };
            var body = await read(http.RequestServices, range, q, ct);
            return Results.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(body)], "text/csv; charset=utf-8",
                $"minicc-{table}-{range.FirstDay:yyyyMMdd}-{range.LastDay:yyyyMMdd}.csv");
        });
}
