using System.Globalization;
using MiniCC.Reports;

namespace MiniCC.Pages;

/// <summary>
/// The local days a page or a download shows (inclusive) and its interval. From the query string: <c>from</c>, <c>to</c>
/// (yyyy-MM-dd, as an <c>input type=date</c> sends them) and <c>interval</c> (15, 30 or 60); what is missing or unreadable
/// falls back to the default, the <paramref name="Days"/> days up to today.
/// </summary>
public sealed record DayRange(DateTimeOffset From, DateTimeOffset To, int Interval, DateOnly FirstDay, DateOnly LastDay)
{
    /// <summary>The longest range a page reads at once.</summary>
    public const int MaxDays = 400;

    public static DayRange Parse(ReportQuery reports, TimeProvider time, string? from, string? to, int? interval, int days)
    {
        var today = reports.LocalDate(time.GetUtcNow());
        var last = TryDay(to) ?? (TryDay(from) is { } f && days == 1 ? f : today);
        var first = TryDay(from) ?? last.AddDays(1 - days);
        if (first > last)
        {
            (first, last) = (last, first);
        }

        if (last.DayNumber - first.DayNumber > MaxDays)
        {
            first = last.AddDays(-MaxDays);
        }

        return new DayRange(reports.LocalMidnight(first), reports.LocalMidnight(last.AddDays(1)), interval is 15 or 30 or 60 ? interval.Value : 30, first, last);
    }

    private static DateOnly? TryDay(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The range as a query string, for links to the same range elsewhere.</summary>
    public string Query => string.Create(CultureInfo.InvariantCulture, $"from={FirstDay:yyyy-MM-dd}&to={LastDay:yyyy-MM-dd}&interval={Interval}");

    public string FirstValue => FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string LastValue => LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One queue's report (<c>queue=</c>, one of <c>MiniCC:Queues</c>), or null for the whole center.</summary>
    public string? Queue { get; init; }

    /// <summary>The range and the queue as a query string: the report API and the CSV downloads read the same.</summary>
    public string QueryWithQueue => Queue is null ? Query : Query + "&queue=" + Queue;
}
