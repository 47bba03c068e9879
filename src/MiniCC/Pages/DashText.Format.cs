using System.Globalization;
using MiniCC.Reports;

namespace MiniCC.Pages;

/// <summary>How the pages write times, durations and the codes the history stores, in the page's language.</summary>
internal sealed partial class DashText
{
    /// <summary>The report time zone: every time on a page is its local time there.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>ja-JP or en-US: dates and times the way a reader of the page's language writes them.</summary>
    public CultureInfo Culture { get; }

    /// <summary>Shown where there is no value.</summary>
    public const string None = "—";

    public DateTimeOffset Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Zone);

    /// <summary>Date and time of day, to the second: 2026/11/24 15:05:31 or 11/24/2026 3:05:31 PM.</summary>
    public string When(DateTimeOffset? t) => t is { } v ? Local(v).ToString("G", Culture) : None;

    /// <summary>Time of day: 15:05:31 or 3:05:31 PM.</summary>
    public string Clock(DateTimeOffset t) => Local(t).ToString("T", Culture);

    /// <summary>Time of day without seconds (an interval's start): 15:30 or 3:30 PM.</summary>
    public string ShortClock(DateTimeOffset t) => Local(t).ToString("t", Culture);

    /// <summary>A day: 2026/11/24 or 11/24/2026.</summary>
    public string Day(DateOnly d) => d.ToString("d", Culture);

    /// <summary>A day with its weekday: 2026年11月24日火曜日 or Tuesday, November 24, 2026.</summary>
    public string LongDay(DateOnly d) => d.ToString("D", Culture);

    /// <summary>A duration as a clock reads it: m:ss below an hour, h:mm:ss from an hour (3:50, 1:02:03).</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || double.IsNaN(s))
        {
            return None;
        }

        var whole = (long)Math.Round(Math.Max(0, s), MidpointRounding.AwayFromZero);
        var (h, m, sec) = (whole / 3600, whole / 60 % 60, whole % 60);
        return h > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{h}:{m:00}:{sec:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{m}:{sec:00}");
    }

    public static string Duration(TimeSpan span) => Duration(span.TotalSeconds);

    public string Count(long n) => n.ToString("N0", Culture);

    public string Percent(double? p) => p is { } v && !double.IsNaN(v) ? v.ToString("0.#", Culture) + "%" : None;

    public string Number(double v) => v.ToString("0.##", Culture);

    /// <summary>The call's role as stored (customer, operator).</summary>
    public string Role(string? code) => code switch
    {
        "customer" => T("Customer", "お客様"),
        "operator" => T("Operator", "オペレーター"),
        null or "" => None,
        _ => code,
    };

    /// <summary>Twilio's QueueResult values.</summary>
    public string QueueResult(string? code) => code switch
    {
        "bridged" => T("Answered", "応答"),
        "bridging-in-process" => T("Being connected", "接続中"),
        "hangup" => T("Hung up while waiting", "待機中に切断"),
        "leave" => T("Left the queue", "キューから退出"),
        "redirected" => T("Redirected", "転送"),
        "queue-full" => T("Queue full", "キュー満杯"),
        "error" => T("Error", "エラー"),
        "system-error" => T("System error", "システムエラー"),
        null or "" => None,
        _ => code,
    };

    /// <summary>Twilio's CallStatus values.</summary>
    public string CallStatus(string? code) => code switch
    {
        "queued" => T("Queued", "発信待ち"),
        "ringing" => T("Ringing", "呼び出し中"),
        "in-progress" => T("In progress", "通話中"),
        "completed" => T("Completed", "終了"),
        "busy" => T("Busy", "話し中"),
        "failed" => T("Failed", "失敗"),
        "no-answer" => T("No answer", "応答なし"),
        "canceled" => T("Canceled", "キャンセル"),
        null or "" => None,
        _ => code,
    };

    /// <summary>The menu choice as stored.</summary>
    public string MenuChoice(string? code) => code switch
    {
        "operator" => T("1: operator", "1: オペレーター"),
        "information" => T("2: product information", "2: 商品案内"),
        "invalid" => T("Invalid key", "無効なキー"),
        "no-input" => T("No input", "入力なし"),
        "closed" => T("Called while closed", "受付時間外の着信"),
        null or "" => None,
        _ => code,
    };

    /// <summary>The event log's kinds (call_events.kind).</summary>
    public string EventKind(string kind) => kind switch
    {
        "incoming" => T("Call came in", "着信"),
        "sign_in" => T("Operator signed in", "オペレーターがサインイン"),
        "pin_failed" => T("Wrong PIN", "暗証番号の誤り"),
        "ivr" => T("Menu key pressed", "メニューのキー入力"),
        "waiting" => T("Waiting in the queue", "キューで待機"),
        "pickup" => T("Picked up by an operator", "オペレーターが応答"),
        "queue_exit" => T("Left the queue", "キューから退出"),
        "call_end" => T("Call ended", "通話終了"),
        "voicemail" => T("Sent to voicemail", "留守番電話へ案内"),
        "voicemail_recorded" => T("Voicemail message ended", "メッセージの録音終了"),
        "recording_status" => T("Recording status from Twilio", "Twilio からの録音状態"),
        "queue_leaving" => T("Chose to leave the queue", "キューを離れることを選択"),
        "callback_request" => T("Asked to be called back", "折り返しを依頼"),
        "callback_dial" => T("Operator dialed a callback", "オペレーターが折り返し発信"),
        "callback_answered" => T("Customer answered the callback", "お客様が折り返しに応答"),
        "callback_result" => T("Callback dial ended", "折り返し発信が終了"),
        _ => kind,
    };

    /// <summary>The service-level formula's name, in words.</summary>
    public string Formula(string code) => code switch
    {
        ServiceLevelFormula.Default => T("answered within T ÷ (answered + abandoned − short abandons)", "T秒以内の応答 ÷（応答 + 放棄 − 短時間放棄）"),
        ServiceLevelFormula.AnsweredOnly => T("answered within T ÷ answered", "T秒以内の応答 ÷ 応答"),
        ServiceLevelFormula.Offered => T("answered within T ÷ offered", "T秒以内の応答 ÷ 着信"),
        ServiceLevelFormula.AnsweredAndAbandoned => T("answered within T ÷ (answered + abandoned)", "T秒以内の応答 ÷（応答 + 放棄）"),
        _ => code,
    };

    public string Weekday(DayOfWeek d) => Culture.DateTimeFormat.GetAbbreviatedDayName(d);
}
