using System.Globalization;

namespace MiniCC.Pages;

/// <summary>The words of the callbacks page and of the desk's callback panel.</summary>
internal sealed partial class DashText
{
    public string Callbacks => T("Callbacks", "折り返し");
    public string CallbacksForAPerson => T("Callbacks to make by hand", "手動での対応が必要な折り返し");
    public string CallbacksForAPersonIntro => T(
        "These could not be reached in every attempt MiniCC made (MiniCC:Callbacks:MaxAttempts). Call them yourself, then mark them handled. Every day is listed, not only the range.",
        "MiniCC が規定の回数（MiniCC:Callbacks:MaxAttempts）おかけしてもつながらなかった折り返しです。担当者がおかけしてから「対応済みにする」を押してください。期間にかかわらず、すべて表示します。");
    public string NoCallbacksForAPerson => T("None: every callback was reached or is still MiniCC's to dial.", "ありません。すべての折り返しがつながったか、MiniCC が発信予定です。");
    public string CallbacksCaption => T("Callbacks asked for in the range, newest first", "期間内に承った折り返し（新しい順）");
    public string NoCallbacks => T("No callbacks were asked for in this period.", "この期間に承った折り返しはありません。");
    public string CallbackAsked => T("Asked", "受付日時");
    public string CallbackPlace => T("Place in line since", "順番の基準時刻");
    public string CallbackAttempts => T("Attempts", "発信回数");
    public string CallbackLastResult => T("Last result", "最後の結果");
    public string CallbackDialedBy => T("Dialed by", "発信したオペレーター");
    public string CallbackTimeTo => T("Time to callback", "折り返しまでの時間");
    public string MarkHandledOf(string number) => T($"Mark handled: the callback to {number}", $"{number} への折り返しを対応済みにする");
    public string CallbackMarked(string number) => T($"The callback to {number} is marked handled.", $"{number} への折り返しを対応済みにしました。");
    public string CallbackAlreadyHandled => T("Someone has already marked that callback handled.", "その折り返しはすでに対応済みです。");
    public string CallbackNotFailed => T("Only a callback that could not be reached can be marked handled; MiniCC still dials the others.",
        "対応済みにできるのは、つながらなかった折り返しだけです。それ以外は MiniCC が発信します。");
    public string CallbackNotFound => T("There is no such callback.", "該当する折り返しはありません。");
    public string CallbacksDefinitions => T(
        "Asked: when the caller asked. Place in line since: when they entered the queue; the callback keeps that place. Time to callback: from that place to the answered callback.",
        "受付日時：お客様が折り返しを依頼した時刻。順番の基準時刻：お客様がキューに入った時刻で、折り返しはこの順番を保ちます。折り返しまでの時間：この時刻から折り返しがつながるまで。");

    public string CallbacksNewest(int listed, long total) =>
        T(string.Create(CultureInfo.InvariantCulture, $"The newest {listed} of {total} callbacks; the CSV lists every one."),
          string.Create(CultureInfo.InvariantCulture, $"折り返し {total} 件のうち新しい {listed} 件を表示しています。CSV にはすべて含まれます。"));

    /// <summary>A callback's status, as stored in callbacks.status.</summary>
    public string CallbackStatus(string status) => status switch
    {
        "pending" => T("Waiting for its turn", "順番待ち"),
        "dialing" => T("Dialing now", "発信中"),
        "completed" => T("Called back", "折り返し済み"),
        "failed" => T("Not reached: for a person", "不通（要対応）"),
        "cancelled" => T("Cancelled (the number got through)", "取消（その番号と通話済み）"),
        _ => status,
    };

    /// <summary>How a callback's last dial ended (DialCallStatus).</summary>
    public string DialResult(string? result) => result switch
    {
        "completed" or "answered" => T("Answered", "応答"),
        "busy" => T("Busy", "話し中"),
        "no-answer" => T("No answer", "応答なし"),
        "failed" => T("Could not be dialed", "発信できず"),
        "canceled" => T("Cancelled", "キャンセル"),
        null or "" => None,
        _ => result,
    };

    public string DeskCallback => T("Callback", "折り返し");
}
