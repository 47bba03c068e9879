using MiniCC.Menu;

namespace MiniCC.Pages;

/// <summary>The words of the phone menu page (<see cref="PageRoutes.Menu"/>): the diagram and its list.</summary>
internal sealed partial class DashText
{
    public string PhoneMenu => T("Phone menu", "メニュー構成");
    public string MenuIntro => T("What callers hear and where their keys lead, from the menu MiniCC was started with (MiniCC:Menu; see the README, \"The phone menu\"). Check a change with minicc menu check before restarting.",
        "発信者が聞くガイダンスと、押したボタンの行き先です。MiniCC の起動時に読み込んだメニュー（MiniCC:Menu、README の「The phone menu」を参照）を表示しています。変更は minicc menu check で確認してから再起動してください。");
    public string MenuDiagramTitle(int nodes) => T($"The phone menu as a diagram: {nodes} steps, from the top. The same is listed below.",
        $"メニュー構成図：上から順に {nodes} 個のステップ。同じ内容を下に一覧で示します。");
    public string MenuAsList => T("The menu step by step", "メニューの流れ（一覧）");
    public string MenuHeardIn(IEnumerable<string> languages) => T("Heard in: ", "ガイダンスの言語：") + string.Join(", ", languages.Select(LanguageName));
    public string MenuUnreachable => T("Not reached by any caller", "どこからも到達しないステップ");
    public string MenuAbove => T("(see above)", "（上記参照）");
    public string MenuNoSuchNode => T("(no such step)", "（存在しないステップ）");
    public string MenuQueue(string? queue) => T($"queue {queue ?? "(default)"}", $"キュー {queue ?? "（既定）"}");

    public string LanguageName(string language) => language switch
    {
        "ja-JP" => T("Japanese", "日本語"),
        "en-US" => T("English", "英語"),
        _ => language,
    };

    public string NodeType(string type) => type switch
    {
        MenuNodeTypes.Menu => T("Menu", "メニュー"),
        MenuNodeTypes.Say => T("Message", "案内"),
        MenuNodeTypes.Queue => T("To an operator", "オペレーターへ"),
        MenuNodeTypes.Information => T("Product information", "製品案内"),
        MenuNodeTypes.Hangup => T("Hang up", "終話"),
        MenuNodeTypes.Hours => T("Opening hours?", "受付時間内？"),
        MenuNodeTypes.Caller => T("Caller on the list?", "登録番号からの着信？"),
        MenuNodeTypes.Closed => T("Closed message", "時間外案内"),
        MenuNodeTypes.Voicemail => T("Voicemail", "留守番電話"),
        MenuNodeTypes.Callback => T("Callback", "コールバック"),
        MenuNodeTypes.Dial => T("Transfer", "転送"),
        MenuNodeTypes.Language => T("Language", "言語"),
        _ => type,
    };

    /// <summary>An arrow's label: the key, or what happened.</summary>
    public string EdgeLabel(MenuEdge edge) => edge.Kind switch
    {
        MenuEdgeKind.Key => edge.Key!,
        MenuEdgeKind.NoInput => T("silence", "無音"),
        MenuEdgeKind.Invalid => T("wrong key", "誤入力"),
        MenuEdgeKind.Open => T("open", "受付中"),
        MenuEdgeKind.Closed => T("closed", "時間外"),
        MenuEdgeKind.Listed => T("listed", "登録番号"),
        MenuEdgeKind.Others => T("others", "それ以外"),
        _ => T("then", "次へ"),
    };
}
