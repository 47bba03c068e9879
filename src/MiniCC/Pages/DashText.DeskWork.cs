namespace MiniCC.Pages;

/// <summary>The desk's work panels: the operator's state and buttons, the screen pop, the disposition form.</summary>
internal sealed partial class DashText
{
    /// <summary>A configured label in the page's language (break reasons, dispositions: each has its Ja and its En).</summary>
    public string Pick(string en, string ja) => T(en, ja);

    public string StateNow => T("State now", "現在の状態");
    public string Occupancy => T("Occupancy", "稼働率");
    public string OperatorDefinitions => T(
        "Time in each state within the range (a state lasts until the operator's next one). Occupancy = on a call ÷ (on a call + ready). Average handle = (talk + wrap-up) ÷ calls taken.",
        "各状態の時間は期間内の合計です（状態は次の状態に変わるまで続きます）。稼働率 = 通話中 ÷（通話中 + 待機中）。平均処理時間 =（通話時間 + 後処理時間）÷ 応答件数。");

    public string DeskWork => T("My state", "受付状態");
    public string DeskReadyButton => T("Ready", "受付再開");
    public string DeskBreakReason => T("Break reason", "休憩の理由");
    public string DeskBreakButton => T("Take a break", "休憩する");
    public string DeskCaller => T("Caller", "お客様");
    public string DeskMenuChoice => T("Menu choice", "メニューの選択");
    public string DeskAbandonedToday => T("Hung up waiting today", "本日の放棄");
    public string DeskPreviousCalls => T("Previous calls from this number", "この番号からの過去の通話");
    public string DeskWhen => T("When", "日時");
    public string DeskResult => T("Result", "結果");
    public string DeskChoose => T("(choose)", "（選択してください）");
    public string DeskSave => T("Save", "保存");

    /// <summary>The words the work panels' script shows; <c>{name}</c> is filled in by the script.</summary>
    public IReadOnlyDictionary<string, string> DeskWorkWords() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["since"] = T("for {time}", "{time} 経過"),
        ["wrapUpLeft"] = T("Wrap-up ends in {seconds} s, or press Ready.", "後処理はあと {seconds} 秒で終わります（「受付再開」で今すぐ終了）。"),
        ["state.conflict.offline"] = T("Go on line first.", "先にオンラインにしてください。"),
        ["state.conflict.on-call"] = T("On a call: change after it, in wrap-up.", "通話中です。通話後の後処理中に変更してください。"),
        ["state.failed"] = T("The state could not be changed. Try again.", "受付状態を変更できませんでした。もう一度試してください。"),
        ["state.reconnecting"] = T("Leaving the queue for the break…", "休憩のため、受付を停止しています…"),
        ["unknownNumber"] = T("(number withheld)", "（番号非通知）"),
        ["abandoned.none"] = T("No", "なし"),
        ["abandoned.some"] = T("{count} time(s) earlier today", "本日 {count} 回"),
        ["previous.none"] = T("No previous calls.", "過去の通話はありません。"),
        ["callbackTo"] = T("Callback to {number}", "{number} への折り返し"),
        ["ended"] = T("The call has ended: record its disposition.", "通話は終了しました。対応結果を記録してください。"),
        ["saved"] = T("Saved.", "保存しました。"),
        ["saveFailed"] = T("Not saved: {error}", "保存できませんでした: {error}"),
        ["network"] = T("MiniCC cannot be reached: check the network connection.", "MiniCC に接続できません。ネットワーク接続を確認してください。"),
    };
}
