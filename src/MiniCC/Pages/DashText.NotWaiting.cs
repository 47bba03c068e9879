using System.Globalization;

namespace MiniCC.Pages;

/// <summary>The words of the report's section on the callers who did not wait.</summary>
internal sealed partial class DashText
{
    public string NotWaitingTitle => T("Callers who did not wait", "待たなかったお客様");
    public string NotWaitingMeasure => T("What happened", "内容");
    public string NotWaitingCalls => T("Calls", "件数");
    public string ClosedCalls => T("Called while closed", "受付時間外の着信");
    public string LeftForCallback => T("Left the queue for a callback", "折り返しを希望してキューを離れた");
    public string LeftForVoicemail => T("Left the queue for a voicemail", "メッセージを残すためキューを離れた");
    public string LeftAtMaxWait => T("Left the queue at the longest wait", "待ち時間の上限でキューを離れた");

    public string CallbacksTitle => T("Callbacks", "折り返し電話");
    public string CallbacksRequested => T("Requested", "依頼");
    public string CallbacksCompleted => T("Completed (the customer answered)", "完了（お客様が応答）");
    public string CallbacksOpen => T("Still to be made", "未発信・発信中");
    public string CallbacksFailed => T("Not reached after every attempt", "すべての試行で不通");
    public string CallbacksCancelled => T("Cancelled (answered otherwise)", "取消（別の通話で対応済み）");
    public string CallbackAttemptsUnanswered => T("Dials that did not reach the customer", "つながらなかった発信");
    public string AverageTimeToCallback => T("Average time to callback", "折り返しまでの平均時間");

    public string VoicemailsTitle => T("Voicemail by reason", "理由別の留守番電話");
    public string VoicemailsOffered => T("Heard the prompt", "案内を聞いた");
    public string VoicemailMessages => T("Left a message", "メッセージあり");

    public string NotWaitingCounted(string formula) => T(
        string.Create(CultureInfo.InvariantCulture,
            $"Callers who left the queue for a callback or a voicemail, or at the longest wait, entered it: they are offered and counted among the other exits, never as abandoned, so the service level ({formula}) counts them only when it divides by offered. Closed-hours calls and callers told that no operator could answer never entered a queue: they are not offered. A callback is counted by when its caller entered the queue, and its time to callback runs from then to the customer's answer; voicemails by when the caller heard the prompt. Closed-hours calls and voicemails left from the menu belong to no queue."),
        string.Create(CultureInfo.InvariantCulture,
            $"折り返し・メッセージのため、または待ち時間の上限でキューを離れたお客様はキューに入っています。着信に数え、「その他の退出」として扱い、放棄には数えません。サービスレベル（{formula}）には、着信で割る計算式のときだけ含まれます。受付時間外の着信と、対応できるオペレーターがいないと案内されたお客様はキューに入っていないため、着信に数えません。折り返しはお客様がキューに入った時刻で集計し、折り返しまでの時間はその時刻からお客様の応答までです。留守番電話は案内を聞いた時刻で集計します。受付時間外の着信とメニューから案内した留守番電話は、どのキューにも属しません。"));
}
