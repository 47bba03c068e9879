using System.Globalization;
namespace MiniCC.Dashboard;

/// <summary>Dashboard words, Japanese or English by <c>MiniCC:Language</c>.</summary>
internal sealed class DashText
{
    private readonly bool _ja;

    private DashText(bool ja) => _ja = ja;

    public static DashText For(string language) => new(language.StartsWith("ja", StringComparison.OrdinalIgnoreCase));

    private string T(string en, string ja) => _ja ? ja : en;

    public string Lang => _ja ? "ja" : "en";
    public string Today => T("Today", "本日");
    public string History => T("History", "履歴");
    public string Operators => T("Operators", "オペレーター");
    public string Abandoned => T("Abandoned callers", "放棄呼");
    public string Calls => T("Calls", "通話");
    public string Wallboard => T("Wallboard", "ウォールボード");
    public string SignOut => T("Sign out", "サインアウト");
    public string From => T("From", "開始日");
    public string To => T("To", "終了日");
    public string Interval => T("Interval", "間隔");
    public string Show => T("Show", "表示");
    public string Csv => T("Download CSV", "CSVをダウンロード");
    public string Search => T("Search", "検索");
    public string SearchHint => T("Phone number or CallSid", "電話番号またはCallSid");
    public string Offered => T("Offered", "着信（キュー投入）");
    public string Answered => T("Answered", "応答");
    public string AbandonedCount => T("Abandoned", "放棄");

    public string AbandonedNewest(int listed, long total) =>
        T(string.Create(CultureInfo.InvariantCulture, $"The newest {listed} of {total} abandoned callers; the CSV lists every one."),
          string.Create(CultureInfo.InvariantCulture, $"放棄呼 {total} 件のうち新しい {listed} 件を表示しています。CSV にはすべて含まれます。"));
    public string ShortAbandoned => T("Short abandons", "短時間放棄");
    public string AbandonRate => T("Abandon rate", "放棄率");
    public string Asa => T("Average speed of answer", "平均応答速度");
    public string ServiceLevel => T("Service level", "サービスレベル");
    public string Aht => T("Average handle time", "平均処理時間");
    public string LongestWait => T("Longest wait", "最長待ち時間");
    public string ErlangNeeded => T("Erlang C needed", "Erlang C 必要人数");
    public string SignedIn => T("Operators signed in", "サインイン中のオペレーター");
    public string Waiting => T("Callers waiting", "待ち呼数");
    public string LongestCurrentWait => T("Longest current wait", "現在の最長待ち");
    public string OnCall => T("On a call", "通話中");
    public string Start => T("Interval start", "開始時刻");
    public string Phone => T("Phone", "電話番号");
    public string Name => T("Name", "名前");
    public string CallsTaken => T("Calls taken", "応答数");
    public string TalkTime => T("Talk time (s)", "通話時間（秒）");
    public string AvgHandle => T("Average handle (s)", "平均処理（秒）");
    public string FirstCall => T("First call", "最初の応答");
    public string LastCall => T("Last call", "最後の応答");
    public string SignedInTime => T("Signed in (s)", "サインイン時間（秒）");
    public string EnteredAt => T("Entered the queue", "キュー投入時刻");
    public string Wait => T("Wait (s)", "待ち（秒）");
    public string Started => T("Started", "開始");
    public string Role => T("Role", "種別");
    public string Ivr => T("Menu", "メニュー");
    public string Result => T("Queue result", "キュー結果");
    public string Talk => T("Talk (s)", "通話（秒）");
    public string Status => T("Status", "状態");
    public string Timeline => T("Timeline", "経過");
    public string NoData => T("No calls in this period.", "この期間の通話はありません。");
    public string Directory => T("Operator directory", "オペレーター一覧");
    public string Pin => T("PIN", "暗証番号");
    public string PinSet => T("yes", "あり");
    public string PinNone => T("no", "なし");
    public string PinLockedUntil(string? until) => T($"PIN locked until {until}", $"暗証番号ロック中（{until}まで）");
    public string Definitions => T("Definitions", "定義");
    public string Seconds => T("s", "秒");
    public string Days => T("Per day", "日別");
    public string Day => T("Day", "日付");
    public string AverageWait => T("Average wait", "平均待ち時間");
    public string WeekdayHour => T("Offered calls by weekday and hour", "曜日・時間帯別の着信数");
    public string Invalid => T("invalid key", "無効なキー");
    public string NoInputChoice => T("no input", "入力なし");

    public string DefOffered => T("callers who entered the queue", "キューに入った着信");
    public string DefAnswered => T("picked up by an operator", "オペレーターが応答");
    public string DefAbandoned => T("hung up in the queue before an answer (QueueResult=hangup)", "応答前にキューで切断（QueueResult=hangup）");
    public string DefAsa => T("mean queue time of answered calls", "応答した呼の平均待ち時間");
    public string DefAht => T("mean talk time, pickup to end of the bridge", "応答から通話終了までの平均");
    public string DefSl(int seconds, string formula) => T($"answered within {seconds} s; formula: {formula}", $"{seconds}秒以内に応答; 計算式: {formula}");
    public string DefAbandonRate => T("abandoned / offered", "放棄 ÷ 着信");
}
