using System.Globalization;

namespace MiniCC.Pages;

/// <summary>The words of the voicemail page and its answers.</summary>
internal sealed partial class DashText
{
    public string Voicemails => T("Voicemail", "留守番電話");
    public string VoicemailsCaption => T("Messages callers left, newest first.", "お客様が残したメッセージ（新しい順）");
    public string ReceivedAt => T("Received", "受付日時");
    public string Caller => T("Caller", "発信者");
    public string VoicemailReason => T("Why", "理由");
    public string Length => T("Length", "長さ");
    public string Message => T("Message", "メッセージ");
    public string Handled => T("Handled", "対応");
    public string MarkHandled => T("Mark handled", "対応済みにする");
    public string NoVoicemails => T("No voicemail yet.", "メッセージはまだありません。");
    public string NothingToPlay => T("Nothing to play", "再生できる録音はありません");
    public string RecordingsTitle => T("Recordings of the conversation", "通話の録音");

    /// <summary>The call page's player's label: which recording it is.</summary>
    public string PlayRecording(DateTimeOffset at) => T($"Recording of the conversation at {When(at)}", $"{When(at)} の通話の録音");
    public string VoicemailNotFound => T("There is no such voicemail.", "このメッセージは見つかりません。");

    /// <summary>The player's label: whose message it is.</summary>
    public string PlayMessageOf(string? caller) => T($"Message from {caller ?? "an unknown caller"}", $"{caller ?? "不明な発信者"} からのメッセージ");

    /// <summary>Who marked it handled and when: "佐藤, 2026/11/24 10:05:00".</summary>
    public string HandledByAt(string? user, DateTimeOffset at) => $"{user ?? None}{T(", ", "、")}{When(at)}";

    public string VoicemailsNewest(int listed, long total) =>
        T(string.Create(CultureInfo.InvariantCulture, $"The newest {listed} of {total} voicemails; the CSV lists every one."),
          string.Create(CultureInfo.InvariantCulture, $"メッセージ {total} 件のうち新しい {listed} 件を表示しています。CSV にはすべて含まれます。"));

    /// <summary>Why the caller was sent to voicemail (voicemails.reason).</summary>
    public string VoicemailReasonLabel(string? code) => code switch
    {
        "closed" => T("Outside opening hours", "営業時間外"),
        "no-operator" => T("No operator signed in", "オペレーター不在"),
        "max-wait" => T("Waited too long", "待ち時間の上限"),
        "key" => T("Chose voicemail while waiting", "待機中にメッセージを選択"),
        "menu" => T("Chose voicemail in the menu", "メニューでメッセージを選択"),
        null or "" => None,
        _ => code,
    };

    /// <summary>Where the recording stands (voicemails.status).</summary>
    public string VoicemailStatusLabel(string? code) => code switch
    {
        "offered" => T("No message (hung up before or during the beep)", "メッセージなし（発信音の前後に切断）"),
        "recorded" => T("Recorded (processing)", "録音済み（処理中）"),
        "completed" => T("Ready", "再生可能"),
        "failed" => T("Recording failed", "録音失敗"),
        "absent" => T("No message (silence)", "メッセージなし（無音）"),
        null or "" => None,
        _ => code,
    };
}
