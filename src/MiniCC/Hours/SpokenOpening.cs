using System.Globalization;

namespace MiniCC.Hours;

/// <summary>
/// An opening time as a person says it on the phone, relative to now: "明日、11月26日木曜日の午前9時から" /
/// "tomorrow, Thursday, November 26, at 9 AM". The date is always said after today, so a caller who mishears
/// "tomorrow" still has the day; the year only when it is not this year's.
/// </summary>
public static class SpokenOpening
{
    private static readonly CultureInfo Ja = CultureInfo.GetCultureInfo("ja-JP");
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The opening in <paramref name="language"/> (a prompt set's: ja-JP or en-US), in the hours' zone.</summary>
    public static string Say(DateTimeOffset opening, DateTimeOffset now, TimeZoneInfo zone, string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var at = TimeZoneInfo.ConvertTime(opening, zone).DateTime;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var day = DateOnly.FromDateTime(at);
        var when = day == today ? When.Today : day == today.AddDays(1) ? When.Tomorrow : When.Later;
        var withYear = day.Year != today.Year;
        return language.StartsWith("ja", StringComparison.OrdinalIgnoreCase)
            ? Japanese(at, when, withYear)
            : English(at, when, withYear);
    }

    private enum When
    {
        Today,
        Tomorrow,
        Later,
    }

    private static string Japanese(DateTime at, When when, bool withYear)
    {
        var date = (withYear ? $"{at.Year}年" : "") + $"{at.Month}月{at.Day}日{Ja.DateTimeFormat.GetDayName(at.DayOfWeek)}";
        var clock = (at.Hour, at.Minute) switch
        {
            (12, 0) => "正午",
            (var h, var m) => (h < 12 ? "午前" : "午後") + $"{h % 12}時" + (m == 0 ? "" : $"{m}分"),
        };
        return when switch
        {
            When.Today => $"本日の{clock}から",
            When.Tomorrow => $"明日、{date}の{clock}から",
            _ => $"{date}の{clock}から",
        };
    }

    private static string English(DateTime at, When when, bool withYear)
    {
        var date = $"{En.DateTimeFormat.GetDayName(at.DayOfWeek)}, {En.DateTimeFormat.GetMonthName(at.Month)} {at.Day}" +
                   (withYear ? $", {at.Year}" : "");
        var clock = (at.Hour, at.Minute) switch
        {
            (0, 0) => "midnight",
            (12, 0) => "noon",
            (var h, var m) => (h % 12 == 0 ? 12 : h % 12).ToString(CultureInfo.InvariantCulture) + (m == 0 ? "" : $":{m:00}") +
                              (h < 12 ? " AM" : " PM"),
        };
        return when switch
        {
            When.Today => $"today at {clock}",
            When.Tomorrow => $"tomorrow, {date}, at {clock}",
            _ => $"on {date}, at {clock}",
        };
    }
}
