using System.Globalization;
using MiniCC.Settings;

namespace MiniCC.Hours;

/// <summary>An open range within one local day, in minutes since midnight; it may end at 24:00 (1440).</summary>
public readonly record struct OpenRange(int Start, int End)
{
    public const int Day = 24 * 60;

    public bool Contains(TimeSpan timeOfDay) => timeOfDay.TotalMinutes >= Start && timeOfDay.TotalMinutes < End;

    /// <summary>09:00-18:00, as it is configured.</summary>
    public override string ToString() => $"{Clock(Start)}-{Clock(End)}";

    private static string Clock(int minutes) => string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:00}:{minutes % 60:00}");

    /// <summary>HH:mm-HH:mm (H:mm too), the start before the end, both within one day.</summary>
    public static OpenRange? Parse(string? text)
    {
        var parts = text?.Split('-', StringSplitOptions.TrimEntries);
        if (parts is not [var from, var to] || Minutes(from) is not { } start || Minutes(to) is not { } end || start >= end || start >= Day)
        {
            return null;
        }

        return new OpenRange(start, end);
    }

    private static int? Minutes(string clock) =>
        clock.Split(':') is [var h, var m] && h.Length is 1 or 2 && m.Length == 2
        && int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
        && int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var minute)
        && minute < 60 && (hour < 24 || (hour == 24 && minute == 0))
            ? (hour * 60) + minute
            : null;
}

/// <summary>One of the center's closed days as configured: dates, or month-days every year (then it may run over New Year).</summary>
public sealed record ClosedSpan(string Text, DateOnly From, DateOnly To, bool EveryYear)
{
    /// <summary>The year month-days are put in: a leap year, so that 02-29 is a day.</summary>
    private const int AnyYear = 2000;

    public bool Contains(DateOnly day)
    {
        if (!EveryYear)
        {
            return day >= From && day <= To;
        }

        var d = new DateOnly(AnyYear, day.Month, day.Day);
        return From <= To ? d >= From && d <= To : d >= From || d <= To;
    }

    /// <summary><c>2026-08-13</c>, <c>2026-12-29..2027-01-03</c>, <c>12-31</c> or <c>12-29..01-03</c>.</summary>
    public static ClosedSpan? Parse(string? text)
    {
        var parts = text?.Split("..", StringSplitOptions.TrimEntries);
        if (parts is not ({ Length: 1 } or { Length: 2 }))
        {
            return null;
        }

        var (first, last) = (parts[0], parts[^1]);
        if (Date(first) is { } from && Date(last) is { } to)
        {
            return from <= to ? new ClosedSpan(text!, from, to, EveryYear: false) : null;
        }

        return MonthDay(first) is { } f && MonthDay(last) is { } l ? new ClosedSpan(text!, f, l, EveryYear: true) : null;
    }

    public static DateOnly? Date(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static DateOnly? MonthDay(string text) =>
        DateOnly.TryParseExact($"{AnyYear}-{text}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

/// <summary>
/// <see cref="HoursOptions"/> read once into what <see cref="OpeningHours"/> decides with; the validator reads them the
/// same way, so what starts is what was checked.
/// </summary>
public sealed record HoursRules(
    IReadOnlyDictionary<DayOfWeek, OpenRange[]>? Weekly,
    bool Holidays,
    IReadOnlyList<ClosedSpan> ClosedDays,
    IReadOnlyDictionary<DateOnly, OpenRange[]> SpecialHours)
{
    public const string JapanHolidays = "JP";
    public const string NoHolidays = "none";

    /// <summary>Days as they are configured, in English (not the culture's names): the keys of <see cref="HoursOptions.Weekly"/>.</summary>
    public static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>The rules in <paramref name="o"/>; every value that does not read is added to <paramref name="p"/> (and left out).</summary>
    internal static HoursRules Parse(HoursOptions o, SettingProblems p)
    {
        Dictionary<DayOfWeek, OpenRange[]>? weekly = null;
        if (o.Weekly.Count > 0)
        {
            weekly = Week.ToDictionary(d => d, _ => Array.Empty<OpenRange>());
            foreach (var (day, ranges) in o.Weekly)
            {
                var key = $"{nameof(o.Weekly)}:{day}";
                if (Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var d) && Enum.IsDefined(d) && !int.TryParse(day, out _))
                {
                    weekly[d] = Ranges(p, key, ranges);
                }
                else
                {
                    p.Check(false, $"{p.Key(key)} is not a day of the week; the days are {string.Join(", ", Week)}.");
                }
            }
        }

        p.Check(o.Holidays is JapanHolidays or NoHolidays,
            $"{p.Key(nameof(o.Holidays))} is '{o.Holidays}'; it must be {JapanHolidays} (Japan's national holidays are closed) or {NoHolidays}.");
        var closed = new List<ClosedSpan>();
        for (var i = 0; i < o.ClosedDays.Count; i++)
        {
            if (ClosedSpan.Parse(o.ClosedDays[i]) is { } span)
            {
                closed.Add(span);
            }
            else
            {
                p.Check(false, $"{p.Key($"{nameof(o.ClosedDays)}:{i}")} is '{o.ClosedDays[i]}'; it must be a date (2026-08-13), dates from..to " +
                               "(2026-12-29..2027-01-03), or a day or days every year (12-29..01-03).");
            }
        }

        var special = new Dictionary<DateOnly, OpenRange[]>();
        foreach (var (date, ranges) in o.SpecialHours)
        {
            var key = $"{nameof(o.SpecialHours)}:{date}";
            if (ClosedSpan.Date(date) is { } d)
            {
                special[d] = Ranges(p, key, ranges);
            }
            else
            {
                p.Check(false, $"{p.Key(key)} is not a date; special hours are given by date, such as {nameof(o.SpecialHours)}:2026-12-28.");
            }
        }

        return new HoursRules(weekly, o.Holidays == JapanHolidays, closed, special);
    }

    /// <summary>One day's ranges, in order; each must read and none may overlap another.</summary>
    private static OpenRange[] Ranges(SettingProblems p, string key, List<string>? texts)
    {
        var ranges = new List<OpenRange>();
        for (var i = 0; i < (texts?.Count ?? 0); i++)
        {
            if (OpenRange.Parse(texts![i]) is { } r)
            {
                ranges.Add(r);
            }
            else
            {
                p.Check(false, $"{p.Key($"{key}:{i}")} is '{texts[i]}'; a range is HH:mm-HH:mm within one day, such as 09:00-18:00 " +
                               "(it may end at 24:00; hours past midnight are the next day's 00:00-…).");
            }
        }

        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < ranges.Count; i++)
        {
            p.Check(ranges[i].Start >= ranges[i - 1].End, $"{p.Key(key)}: {ranges[i - 1]} and {ranges[i]} overlap.");
        }

        return [.. ranges];
    }
}
