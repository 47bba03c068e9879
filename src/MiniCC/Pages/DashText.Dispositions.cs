using System.Globalization;
using MiniCC.Desk;

namespace MiniCC.Pages;

/// <summary>The words of dispositions and notes: a call's page, the report's table, and the desk's refusals.</summary>
internal sealed partial class DashText
{
    public string Disposition => T("Disposition", "対応結果");
    public string Note => T("Note", "メモ");
    public string DispositionSetBy => T("Recorded by", "記入者");
    public string DispositionsTitle => T("Calls per disposition", "対応結果別の通話数");
    public string DispositionCalls => T("Calls", "通話数");
    public string DispositionsCounted => T(
        "Answered calls whose operator recorded a disposition, by the time they entered the queue (as every number on this page).",
        "オペレーターが対応結果を記入した応答済みの通話です。ほかの数値と同じく、キューに入った時刻で集計しています。");

    /// <summary>A disposition's label in the page's language; a key no longer configured is shown as it was stored.</summary>
    public string DispositionLabel(string? key, DeskOptions desk) =>
        key is null ? None : desk.FindDisposition(key)?.Label(_ja) ?? key;

    /// <summary>Who recorded a disposition and when: "佐藤 +819033334444, 2026/11/24 10:05:00".</summary>
    public string RecordedBy(string? name, string? phone, DateTimeOffset at)
    {
        // An operator removed from the directory since is no longer named.
        var who = $"{name} {phone}".Trim();
        return $"{(who.Length == 0 ? None : who)}{T(", ", "、")}{When(at)}";
    }

    public string DispositionDeskOff => T("The desk is off (MiniCC:Desk:Enabled).", "デスク機能は無効です（MiniCC:Desk:Enabled）。");
    public string BadFormToken => T("The form's token is missing or wrong: reload the page and try again.",
        "フォームの確認用トークンがないか正しくありません。ページを再読み込みしてやり直してください。");
    public string NotAnOperator => T("This user is not an active operator.", "このユーザーは有効なオペレーターではありません。");
    public string NotACallSid => T("That is not a CallSid (CA and 32 hex digits).", "CallSid の形式が正しくありません（CA と16進数32桁）。");
    public string NotYourCall => T("Only the operator who answered this call may record its disposition.",
        "この通話の対応結果を記入できるのは、応答したオペレーターだけです。");

    public string ChooseDisposition(IEnumerable<string> keys) =>
        T($"Choose one of the dispositions: {string.Join(", ", keys)}.", $"対応結果を次から選んでください: {string.Join("、", keys)}。");

    public string NoteTooLong(int max) =>
        T(string.Create(CultureInfo.InvariantCulture, $"The note is longer than {max} characters."),
          string.Create(CultureInfo.InvariantCulture, $"メモが{max}文字を超えています。"));

    public string FormUnreadable => T("The form cannot be read (a NUL character, or too long).", "フォームを読み取れません（NUL 文字を含むか、長すぎます）。");
    public string NoteNotText => T("A note holds text, line breaks and tabs only.", "メモに使えるのは文字、改行、タブだけです。");
}
