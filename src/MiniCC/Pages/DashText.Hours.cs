using MiniCC.Hours;

namespace MiniCC.Pages;

/// <summary>The words of the settings page: opening hours, holidays, closed days.</summary>
internal sealed partial class DashText
{
    public string Settings => T("Settings", "設定");
    public string OpeningHours => T("Opening hours and holidays", "受付時間と休日");
    public string HoursTimeZone => T("Time zone", "タイムゾーン");
    public string NowLabel => T("Now", "現在");
    public string OpenNow => T("Open", "受付中");
    public string ClosedNow => T("Closed", "受付時間外");
    public string NextOpeningLabel => T("Next opening", "次の受付開始");
    public string HolidaysLabel => T("National holidays", "祝日");
    public string HolidaysClosed => T("Japan's national holidays are closed (substitute and citizens' holidays included)",
        "日本の祝日は休業（振替休日・国民の休日を含む）");
    public string HolidaysOpen => T("Ordinary days (MiniCC:Hours:Holidays = none)", "通常の曜日どおり（MiniCC:Hours:Holidays = none）");
    public string AlwaysOpenNote => T("No weekly hours are set (MiniCC:Hours:Weekly): MiniCC takes calls at every hour, holidays included.",
        "週間の受付時間（MiniCC:Hours:Weekly）が設定されていないため、祝日を含めて24時間受け付けます。");
    public string WeeklyHours => T("Weekly hours", "曜日ごとの受付時間");
    public string DayOfWeekColumn => T("Day", "曜日");
    public string HoursColumn => T("Hours", "受付時間");
    public string DaysOff => T("Holidays, closed days and special hours in the next 12 months", "今後12か月の祝日・休業日・特別営業");
    public string WhyColumn => T("Why", "理由");
    public string NoDaysOff => T("None.", "ありません。");
    public string ClosedAllDay => T("Closed", "休業");
    public string ReadOnlySettings => T("These settings are read from the configuration (see the README, \"Opening hours and holidays\"); change them there and restart.",
        "この設定は構成ファイルや環境変数から読み込まれます（README の「Opening hours and holidays」を参照）。変更するときはそちらを編集して再起動してください。");

    /// <summary>The day's weekday in the page's language: 月曜日, Monday.</summary>
    public string DayName(DayOfWeek d) => Culture.DateTimeFormat.GetDayName(d);

    /// <summary>A day's ranges (09:00-12:00, 13:00-18:00), or closed.</summary>
    public string Ranges(IReadOnlyList<OpenRange> ranges) => ranges.Count == 0 ? ClosedAllDay : string.Join(T(", ", "、"), ranges);

    /// <summary>Why a day has its hours: the holiday's name, the center's closed day, special hours (with the holiday they fall on).</summary>
    public string Why(DayHours day)
    {
        var holiday = day.Holiday?.Name(_ja);
        var kind = day.Kind switch
        {
            DayKind.ClosedDay => T("Closed day", "休業日"),
            DayKind.Special => T("Special hours", "特別営業"),
            _ => null,
        };
        return (kind, holiday) switch
        {
            (null, var h) => h ?? None,
            (var k, null) => k,
            var (k, h) => $"{k}{T(" (", "（")}{h}{T(")", "）")}",
        };
    }

    /// <summary>A local date and time in the hours' zone, with its weekday: 2026年11月26日木曜日 9:00, Thursday, November 26, 2026 9:00 AM.</summary>
    public string LocalWhen(DateTime local) => $"{local.ToString("D", Culture)} {local.ToString("t", Culture)}";
}
