using Microsoft.Extensions.Options;
using MiniCC.Reports;
using MiniCC.Settings;

namespace MiniCC.Hours;

/// <summary>Why a day has the hours it has, the first that applies: special hours, a closed day, a holiday, the week.</summary>
public enum DayKind
{
    AlwaysOpen,
    Weekly,
    Holiday,
    ClosedDay,
    Special,
}

/// <summary>One local day's open ranges (none: closed all day), why, and its national holiday when it is one.</summary>
public sealed record DayHours(DateOnly Date, DayKind Kind, IReadOnlyList<OpenRange> Ranges, Holiday? Holiday);

/// <summary>
/// When the center is open, from <see cref="HoursOptions"/>: pure functions of an instant, so that every instance
/// answers alike and a test sets the time. Days and ranges are local to <see cref="Zone"/>.
/// </summary>
public sealed class OpeningHours
{
    /// <summary>How far ahead an opening is looked for (a year-end break or a long closure included).</summary>
    public const int SearchDays = 400;

    private readonly HoursRules _rules;

    /// <summary>From the settings, which were checked at start (ValidateOnStart): nothing left out here went unreported.</summary>
    public OpeningHours(IOptions<HoursOptions> hours, IOptions<ReportOptions> reports)
        : this(HoursRules.Parse(hours.Value, new SettingProblems(HoursOptions.Section)),
            MiniCC.Settings.TimeZones.Find(string.IsNullOrEmpty(hours.Value.TimeZone) ? reports.Value.TimeZone : hours.Value.TimeZone) ?? TimeZoneInfo.Utc)
    {
        ClosedAudioUrl = string.IsNullOrEmpty(hours.Value.ClosedAudioUrl) ? null : hours.Value.ClosedAudioUrl;
    }

    public OpeningHours(HoursRules rules, TimeZoneInfo zone)
    {
        _rules = rules;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>What a closed caller hears instead of the spoken closed message, when set.</summary>
    public string? ClosedAudioUrl { get; init; }

    /// <summary>No weekly hours are configured: open at every instant, holidays included.</summary>
    public bool AlwaysOpen => _rules.Weekly is null;

    /// <summary>Japan's national holidays close the center (<c>MiniCC:Hours:Holidays</c> = JP).</summary>
    public bool ClosedOnHolidays => _rules.Holidays;

    /// <summary>The configured ranges of a day of the week (none when closed, or when always open).</summary>
    public IReadOnlyList<OpenRange> WeeklyHours(DayOfWeek day) => _rules.Weekly?[day] ?? [];

    /// <summary>The local day of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    public DayHours Day(DateOnly date)
    {
        var holiday = _rules.Holidays ? JapaneseHolidays.Find(date) : null;
        if (_rules.Weekly is not { } weekly)
        {
            return new DayHours(date, DayKind.AlwaysOpen, [new OpenRange(0, OpenRange.Day)], holiday);
        }

        if (_rules.SpecialHours.TryGetValue(date, out var special))
        {
            return new DayHours(date, DayKind.Special, special, holiday);
        }

        if (_rules.ClosedDays.Any(c => c.Contains(date)))
        {
            return new DayHours(date, DayKind.ClosedDay, [], holiday);
        }

        return holiday is not null
            ? new DayHours(date, DayKind.Holiday, [], holiday)
            : new DayHours(date, DayKind.Weekly, weekly[date.DayOfWeek], null);
    }

    public bool IsOpen(DateTimeOffset at)
    {
        if (AlwaysOpen)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(at, Zone);
        return Day(DateOnly.FromDateTime(local.DateTime)).Ranges.Any(r => r.Contains(local.TimeOfDay));
    }

    /// <summary>
    /// The next instant after <paramref name="at"/> at which the center opens (a range that only carries on one that
    /// ran to 24:00 is no opening); null when always open, or when it does not open within <see cref="SearchDays"/>.
    /// </summary>
    public DateTimeOffset? NextOpening(DateTimeOffset at)
    {
        if (AlwaysOpen)
        {
            return null;
        }

        var today = LocalDate(at);
        for (var i = 0; i <= SearchDays; i++)
        {
            var date = today.AddDays(i);
            foreach (var range in Day(date).Ranges)
            {
                var start = Instant(date, range.Start);
                if (start > at && !IsOpen(start - TimeSpan.FromTicks(1)))
                {
                    return start;
                }
            }
        }

        return null;
    }

    /// <summary>The instant of a local day and time. A time skipped by a daylight-saving change is taken as the first one after it.</summary>
    public DateTimeOffset Instant(DateOnly date, int minutes)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).AddMinutes(minutes);
        for (var i = 0; i < 24 * 60 && Zone.IsInvalidTime(local); i++)
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}
