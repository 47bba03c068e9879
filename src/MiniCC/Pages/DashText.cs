using System.Globalization;
namespace MiniCC.Pages;

/// <summary>The pages' words (sign-in included), Japanese or English by <c>MiniCC:Language</c>.</summary>
internal sealed partial class DashText
{
    private readonly bool _ja;

    private DashText(bool ja, TimeZoneInfo zone)
    {
        _ja = ja;
        Zone = zone;
        Culture = CultureInfo.GetCultureInfo(ja ? "ja-JP" : "en-US");
    }

    public static DashText For(string language, TimeZoneInfo zone) => new(language.StartsWith("ja", StringComparison.OrdinalIgnoreCase), zone);

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
    public string QueueColumn => T("Queue", "キュー");
    public string AllQueues => T("All queues", "すべてのキュー");
    public string Search => T("Search", "検索");
    public string SearchHint => T("Phone number or CallSid", "電話番号またはCallSid");
    public string Offered => T("Offered", "着信（キュー投入）");
    public string Answered => T("Answered", "応答");
    public string AbandonedCount => T("Abandoned", "放棄");

    public string AbandonedNewest(int listed, long total) =>
        T(string.Create(CultureInfo.InvariantCulture, $"The newest {listed} of {total} abandoned callers; the CSV lists every one."),
          string.Create(CultureInfo.InvariantCulture, $"放棄呼 {total} 件のうち新しい {listed} 件を表示しています。CSV にはすべて含まれます。"));
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
    public string TalkTime => T("Talk time", "通話時間");
    public string AvgHandle => T("Average handle time", "平均処理時間");
    public string FirstCall => T("First call", "最初の応答");
    public string LastCall => T("Last call", "最後の応答");
    public string SignedInTime => T("Time signed in", "サインイン時間");
    public string EnteredAt => T("Entered the queue", "キュー投入時刻");
    public string Wait => T("Wait", "待ち時間");
    public string Started => T("Started", "開始");
    public string RoleColumn => T("Caller type", "種別");
    public string Ivr => T("Menu", "メニュー");
    public string Result => T("Queue result", "キュー結果");
    public string Talk => T("Talk", "通話時間");
    public string Status => T("Status", "状態");
    public string Timeline => T("Timeline", "経過");
    public string NoData => T("No calls in this period.", "この期間の通話はありません。");
    public string Directory => T("Operator directory", "オペレーター一覧");
    public string Pin => T("PIN", "暗証番号");
    public string PinSet => T("yes", "あり");
    public string PinNone => T("no", "なし");
    public string PinLockedUntil(string? until) => T($"PIN locked until {until}", $"暗証番号ロック中（{until}まで）");
    public string Days => T("Per day", "日別");
    public string DayColumn => T("Day", "日付");
    public string AverageWait => T("Average wait", "平均待ち時間");
    public string WeekdayHour => T("Offered calls by weekday and hour", "曜日・時間帯別の着信数");

    public string DefOffered => T("callers who entered the queue", "キューに入った着信");
    public string DefAnswered => T("picked up by an operator", "オペレーターが応答");
    public string DefAbandoned => T("hung up in the queue before an answer (QueueResult=hangup)", "応答前にキューで切断（QueueResult=hangup）");
    public string DefAsa => T("mean queue time of answered calls", "応答した呼の平均待ち時間");
    public string DefAht => T("(talk + wrap-up) per answered call: talk from pickup to the end of the bridge, then after-call work", "応答1件あたりの（通話時間 + 後処理時間）。通話時間は応答から通話終了まで、その後に後処理");
    public string DefSl(int seconds, string formula) => T($"answered within T = {seconds} s; {formula}", $"T = {seconds}秒以内に応答; {formula}");

    /// <summary>For a report of all queues: the queues whose T is their own (each visit counts within its queue's T).</summary>
    public string DefSlQueues(IReadOnlyDictionary<string, int>? own) => own is null ? ""
        : T($"; each queue within its own T where it has one: {string.Join(", ", own.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => $"{q.Key} {q.Value} s"))}",
            $"; 独自のTを持つキューはそのTで: {string.Join("、", own.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => $"{q.Key} {q.Value}秒"))}");
    public string DefAbandonRate => T("abandoned ÷ offered", "放棄 ÷ 着信");
    public string DefLongestWait => T("the longest time a caller waited in the queue", "キューで最も長く待った時間");

    public string MainNavigation => T("Pages", "ページ");
    public string Minutes(int m) => T($"{m} min", $"{m}分");
    public string Summary => T("Summary", "概要");
    public string Database => T("Database", "データベース");
    public string Reachable => T("reachable", "接続できます");
    public string Unreachable => T("NOT reachable (calls go on; events wait in the spool)", "接続できません（通話は継続し、記録はスプールで待機します）");
    public string SpoolBacklog => T("events waiting in the spool", "スプールで待機中の記録");
    public string ChartVolume => T("Calls per interval: offered, answered, abandoned", "間隔ごとの着信・応答・放棄");
    public string ChartSpeed => T("Average speed of answer and service level per interval", "間隔ごとの平均応答速度とサービスレベル");
    public string ChartStaffing => T("Operators needed (Erlang C) and signed in per interval", "間隔ごとの必要人数（Erlang C）とサインイン人数");
    public string Intervals => T("Per interval", "間隔別");
    public string QuietIntervalsLeftOut => T("Intervals without calls or operators are left out of this table; the charts and the CSV include them.",
        "着信もオペレーターもない間隔はこの表では省略しています。グラフと CSV には含まれます。");
    public string OperatorWork => T("Calls taken per operator", "オペレーター別の応答");
    public string DirectoryUnreadable => T("The operator directory cannot be read now (the database is not reachable).", "現在オペレーター一覧を読み込めません（データベースに接続できません）。");
    public string NoOperators => T("No operators yet: add one with minicc operators add.", "オペレーターはまだいません。minicc operators add で追加してください。");
    public string Active => T("active", "有効");
    public string Disabled => T("disabled", "無効");
    public string AbandonedCaption => T("Callers who hung up before an answer", "応答前に切断したお客様");
    public string CallColumn => T("Call", "通話");
    public string CallsCaption => T("Calls, newest first", "通話（新しい順）");

    public string CallsShown(int first, int last, long total) => total == 0
        ? T("No calls match.", "該当する通話はありません。")
        : T(string.Create(CultureInfo.InvariantCulture, $"Calls {first}–{last} of {total}"), string.Create(CultureInfo.InvariantCulture, $"全 {total} 件中 {first}–{last} 件目"));
    public string PagesOfCalls => T("Pages of calls", "通話のページ");
    public string Newer => T("← Newer", "← 新しい通話");
    public string Older => T("Older →", "古い通話 →");
    public string PageOf(int page, int pages) => T(string.Create(CultureInfo.InvariantCulture, $"Page {page} of {pages}"), string.Create(CultureInfo.InvariantCulture, $"{page} / {pages} ページ"));
    public string CallTitle => T("Call", "通話");
    public string BackToCalls => T("← All calls", "← 通話一覧");
    public string NotFound => T("There is no such page.", "このページは見つかりません。");
    public string CallNotFound => T("There is no such call.", "この通話は見つかりません。");
    public string CalledNumber => T("Number called", "着信番号");
    public string Ended => T("Ended", "終了");
    public string CallLength => T("Length", "通話の長さ");
    public string AnsweredBy => T("Answered by", "応答したオペレーター");
    public string KeyPressed(string? digits) => T($"key {digits}", $"キー {digits}");
    public string WaitedFor(string duration) => T($"waited {duration}", $"待ち時間 {duration}");

    public string CallersWaitingNow => T("Callers waiting now", "待っているお客様");
    public string NoOneWaiting => T("No one is waiting.", "待っているお客様はいません。");
    public string OperatorsNow => T("Operators", "オペレーター");
    public string NoOneSignedIn => T("No operator is signed in.", "サインイン中のオペレーターはいません。");
    public string Queue => T("Queue", "キュー");
    public string Doing => T("State", "状態");
    public string ForHowLong => T("For", "経過");
    public string With => T("With", "通話相手");
    public string TodayLabel => T("Today", "本日");
    public string Updated(string clock) => T($"Updated {clock}", $"{clock} 更新");
    public string TvLayout => T("TV layout", "大画面表示");
    public string DeskLayout => T("Desk layout", "デスク表示");
    public string BackToDashboard => T("Dashboard", "ダッシュボード");
    public string LiveNumbers => T("Now and today", "現在と本日");
    public string QueuesNow => T("Queues", "キュー別");

    public string OnTarget(string target) => T($"✓ target {target}", $"✓ 目標 {target}");
    public string OffTarget(string target) => T($"✗ target {target}", $"✗ 目標 {target}");

    /// <summary>An operator's state (ready, on-call; the desk adds break and wrap-up).</summary>
    public string OperatorStateName(string state) => state switch
    {
        "ready" => T("Ready", "待機中"),
        "on-call" => T("On a call", "通話中"),
        "wrap-up" => T("Wrap-up", "後処理中"),
        "break" => T("On a break", "休憩中"),
        "offline" => T("Offline", "オフライン"),
        _ => state,
    };

    /// <summary>A state with its break reason when there is one: "休憩中 (昼食)".</summary>
    public string OperatorStateName(string state, string? reason, MiniCC.Operators.OperatorStateOptions options) =>
        reason is null ? OperatorStateName(state)
        : $"{OperatorStateName(state)} ({(options.Find(reason) is { } r ? T(r.En, r.Ja) : reason)})";

    public string SignInTitle => T("Sign in", "サインイン");
    public string UserName => T("User name", "ユーザー名");
    public string Password => T("Password", "パスワード");
    public string SignIn => T("Sign in", "サインイン");
    public string WrongCredentials => T("The user name or password is wrong.", "ユーザー名またはパスワードが違います。");
    public string NoUsersYet => T("No one can sign in yet. Create the first user on the server with: minicc users add <name>",
        "サインインできるユーザーがまだいません。サーバーで次のコマンドで最初のユーザーを作成してください: minicc users add <名前>");
    public string BackToSignIn => T("Back to sign-in", "サインイン画面に戻る");

    /// <summary>The refusal of a limited sign-in attempt, with the wait when it is a minute or more.</summary>
    public string TryLater(TimeSpan wait)
    {
        var refused = T("Too many sign-in attempts. Please try again later.", "サインインの試行が多すぎます。しばらくしてからもう一度お試しください。");
        if (wait < TimeSpan.FromMinutes(1))
        {
            return refused;
        }

        var minutes = (int)Math.Ceiling(wait.TotalMinutes);
        return refused + T(string.Create(CultureInfo.InvariantCulture, $" Please wait about {minutes} minutes."),
            string.Create(CultureInfo.InvariantCulture, $"約{minutes}分お待ちください。"));
    }
}
